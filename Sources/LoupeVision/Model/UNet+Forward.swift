/// What the backward pass needs from one forward pass.
struct UNetActivations {
    struct Block {
        var first: Tensor
        var second: Tensor
    }

    var input: Tensor
    var encoder: [Block] = []
    var pooled: [Tensor] = []
    var bottleneck: Block?
    /// Finest level first, like `UNet.decoder`.
    var upsampled: [Tensor] = []
    var decoder: [Block] = []

    init(input: Tensor) { self.input = input }
}

extension UNet {
    /// Logits for a batch whose height and width are multiples of `config.sizeMultiple`.
    /// With `keep == false` nothing is retained beyond what later layers read (inference).
    func forward(
        _ input: Tensor, parameters: UnsafePointer<Float>, scratch: Scratch, keep: Bool
    ) -> (logits: Tensor, activations: UNetActivations?) {
        precondition(input.channels == config.inputChannels, "input has the wrong channel count")
        var saved = keep ? UNetActivations(input: input) : nil
        func run(_ block: Block, _ x: Tensor, joinedWith second: Tensor? = nil) -> UNetActivations.Block {
            let first = block.first.forward(x, joinedWith: second, parameters: parameters, scratch: scratch, relu: true)
            let second = block.second.forward(first, parameters: parameters, scratch: scratch, relu: true)
            return UNetActivations.Block(first: keep ? first : .empty, second: second)
        }
        var skips: [Tensor] = []
        var x = input
        for block in encoder {
            let result = run(block, x)
            skips.append(result.second)
            x = MaxPool2D.forward(result.second, workers: scratch.workers)
            saved?.encoder.append(result)
            saved?.pooled.append(x)
        }
        let middle = run(bottleneck, x)
        saved?.bottleneck = middle
        x = middle.second
        var decoded: [UNetActivations.Block] = []
        for level in decoder.indices.reversed() {
            let up = decoder[level].up.forward(x, parameters: parameters, scratch: scratch)
            // The skip and up-sampled maps are read in place, never joined into a copy.
            let result = run(decoder[level].block, skips[level], joinedWith: up)
            if keep {
                saved?.upsampled.insert(up, at: 0)
                decoded.insert(result, at: 0)
            }
            x = result.second
            skips[level] = .empty
        }
        saved?.decoder = decoded
        return (head.forward(x, parameters: parameters, scratch: scratch), saved)
    }
}
