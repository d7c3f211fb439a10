/// A trained model: its architecture and its parameters as one flat float32 vector in the
/// layers' declaration order (see `UNet`).
public struct ModelWeights: Sendable, Equatable {
    public let config: ModelConfig
    public let parameters: [Float]

    public init(config: ModelConfig, parameters: [Float]) throws {
        try config.validate()
        let expected = UNet(config: config).parameterCount
        guard parameters.count == expected else {
            throw ModelFileError.parameterCountMismatch(expected: expected, found: parameters.count)
        }
        self.config = config
        self.parameters = parameters
    }

    /// Fresh He-initialised weights.
    public init(initializing config: ModelConfig, seed: UInt64) throws {
        try config.validate()
        self.config = config
        parameters = UNet(config: config).initialParameters(seed: seed)
    }
}
