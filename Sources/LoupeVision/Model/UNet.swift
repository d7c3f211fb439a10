/// The UNet's layers and where their parameters live in the flat parameter vector.
///
/// Level `i` of the encoder is conv3x3 + ReLU twice at width `channels[i]`, then a 2x2 max-pool;
/// the bottleneck is the same block at `bottleneck` width; decoder level `i` up-samples with a
/// 2x2 transposed convolution to `channels[i]`, concatenates the encoder's map of that level
/// `[skip, up]`, and runs the block again; a 1x1 convolution gives one logit per pixel.
/// The struct holds no activations: `forward` returns them and `backward` consumes them.
struct UNet: Sendable {
    struct Block: Sendable {
        let first: Conv2D
        let second: Conv2D
    }

    struct DecoderLevel: Sendable {
        let up: TransposedConv2D
        let block: Block
    }

    let config: ModelConfig
    let encoder: [Block]
    let bottleneck: Block
    /// Ordered like `encoder` (finest level first), though evaluated deepest first.
    let decoder: [DecoderLevel]
    let head: Conv2D
    let parameterCount: Int

    init(config: ModelConfig, convolution: ConvolutionPath = .preferred) {
        self.config = config
        var allocator = ParameterSlot.Allocator()
        func block(_ input: Int, _ width: Int) -> Block {
            let first = Conv2D(inChannels: input, outChannels: width, kernel: 3, allocator: &allocator, path: convolution)
            let second = Conv2D(inChannels: width, outChannels: width, kernel: 3, allocator: &allocator, path: convolution)
            return Block(first: first, second: second)
        }
        var encoder: [Block] = []
        var width = config.inputChannels
        for level in config.channels {
            encoder.append(block(width, level))
            width = level
        }
        bottleneck = block(width, config.bottleneck)
        var decoder: [DecoderLevel] = []
        width = config.bottleneck
        for level in config.channels.reversed() {
            let up = TransposedConv2D(inChannels: width, outChannels: level, allocator: &allocator)
            decoder.insert(DecoderLevel(up: up, block: block(2 * level, level)), at: 0)
            width = level
        }
        head = Conv2D(inChannels: width, outChannels: 1, kernel: 1, allocator: &allocator)
        self.encoder = encoder
        self.decoder = decoder
        parameterCount = allocator.total
    }

    /// He-normal weights (std = sqrt(2 / fan-in)) and zero biases, drawn in declaration order.
    func initialParameters(seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed, stream: 0x1417)
        var parameters = [Float](repeating: 0, count: parameterCount)
        func fill(_ slot: ParameterSlot, fanIn: Int) {
            let std = (2 / Double(fanIn)).squareRoot()
            for i in slot.offset..<(slot.offset + slot.count) {
                parameters[i] = Float(generator.normal() * std)
            }
        }
        for conv in allConvolutions { fill(conv.weight, fanIn: conv.fanIn) }
        for level in decoder { fill(level.up.weight, fanIn: level.up.fanIn) }
        return parameters
    }

    private var allConvolutions: [Conv2D] {
        let blocks = encoder + [bottleneck] + decoder.map(\.block)
        return blocks.flatMap { [$0.first, $0.second] } + [head]
    }
}
