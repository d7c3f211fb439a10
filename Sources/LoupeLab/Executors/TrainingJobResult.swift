/// `result.json`: what `loupe job run` reports, written last, so its presence means the job
/// ended. Exactly one of `trained` and `error` is set.
package struct TrainingJobResult: Codable, Sendable, Equatable {
    package struct Trained: Codable, Sendable, Equatable {
        /// The SHA-256 of `model.bin`.
        package var model: String
        package var epochs: Int
        package var lossCurve: [Double]
        /// Dice on the held-back corrections; nil when none are held back.
        package var validationDice: Double?
        package var validationImages: Int
        package var threads: Int
        package var trainingMilliseconds: Int
    }

    package var formatVersion: Int
    package var trained: Trained?
    package var error: String?
    /// From the worker's start to the result, reading and checking the job included.
    package var totalMilliseconds: Int
}
