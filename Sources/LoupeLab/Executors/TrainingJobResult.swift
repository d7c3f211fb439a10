/// `result.json`: what `loupe job run` reports, written last, so its presence means the job
/// ended. Exactly one of `trained` and `error` is set.
public struct TrainingJobResult: Codable, Sendable, Equatable {
    public struct Trained: Codable, Sendable, Equatable {
        /// The SHA-256 of `model.bin`.
        public var model: String
        public var epochs: Int
        public var lossCurve: [Double]
        /// Dice on the held-back corrections; nil when none are held back.
        public var validationDice: Double?
        public var validationImages: Int
        public var threads: Int
        public var trainingMilliseconds: Int
    }

    public var formatVersion: Int
    public var trained: Trained?
    public var error: String?
    /// From the worker's start to the result, reading and checking the job included.
    public var totalMilliseconds: Int
}
