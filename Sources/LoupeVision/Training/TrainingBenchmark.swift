/// One fixed random batch trained over and over, for `loupe bench train`: measures the same
/// forward + backward + Adam step the trainer runs, without augmentation or I/O.
public final class TrainingBenchmark {
    private let net: UNet
    private let batch: Batch
    private var parameters: [Float]
    private var gradients: [Float]
    private var optimizer: Adam
    private let scratch = Scratch()

    public init(model: ModelConfig, batchSize: Int, size: Int, convolution: ConvolutionPath = .preferred) throws {
        try model.validate()
        net = UNet(config: model, convolution: convolution)
        var generator = SeededGenerator(seed: 11)
        let channels = model.input.channelCount
        let samples = (0..<batchSize).map { _ in
            let pixels = size * size
            let image = EncodedImage(
                width: size, height: size, channels: channels,
                planes: (0..<(channels * pixels)).map { _ in Float(generator.unit()) },
                mean: Array(repeating: 0.5, count: channels), deviation: Array(repeating: 0.25, count: channels))
            return AugmentedSample(image, label: (0..<pixels).map { _ in generator.unit() < 0.1 ? 1 : 0 })
        }
        batch = Batch(samples[...], multiple: model.sizeMultiple, guidance: model.guidance)
        parameters = net.initialParameters(seed: 1)
        gradients = [Float](repeating: 0, count: net.parameterCount)
        optimizer = Adam(parameterCount: net.parameterCount, learningRate: 1e-3)
    }

    /// Returns the batch loss.
    @discardableResult
    public func step() -> Float {
        Trainer.step(batch, net: net, parameters: &parameters, gradients: &gradients, optimizer: &optimizer,
                     scratch: scratch)
    }
}
