import LoupeLedger

/// What happens after a training fails (an error, not a model below the floor): its
/// corrections stay waiting, and the same corrections are tried again after
/// `retrain.retryFailedSeconds`, doubling with each failure, up to `maxAttempts` trainings in
/// all. After that only a new correction starts a training, which gets the same attempts: a
/// training that always fails neither loops nor leaves corrections untrained without a word.
package struct FailedTrainingRetry: Sendable, Equatable {
    package static let maxAttempts = 3

    /// The latest ended runs that failed on the corrections waiting now (none of those
    /// corrections arrived after them).
    package var failures: Int

    /// Whether the waiting corrections may be trained on again.
    package var allowed: Bool { failures < Self.maxAttempts }

    /// Seconds to wait after the latest failure before the next attempt: 0 without one.
    package func delay(base seconds: Double) -> Double {
        guard failures > 0 else { return 0 }
        return seconds * Double(1 << (failures - 1))
    }
}

extension FailedTrainingRetry {
    /// Counts back from the newest run: aborted and running ones (a shutdown, a crash) are
    /// passed over, and the count stops at the first run that did not fail or that came
    /// before the newest correction.
    static func after(_ runs: [RunRecord], newestCorrection: Int?) -> FailedTrainingRetry {
        var failures = 0
        for run in runs.reversed() where run.status != "aborted" && run.status != "running" {
            guard run.status == "failed", run.upToSeq >= newestCorrection ?? 0 else { break }
            failures += 1
        }
        return FailedTrainingRetry(failures: failures)
    }
}
