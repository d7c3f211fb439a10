/// A Slurm job's state as `squeue --format=%T` and `sacct --format=State` name it (JOB STATE
/// CODES in squeue(1)), sorted by what the daemon does about it: wait while it is queued or
/// running, read its result once it completed, record its failure with the state otherwise.
package enum SlurmJobState: Sendable, Equatable {
    /// Not started: a newer training may replace it at no cost.
    case queued(String)
    /// Holding a node (or a word this Loupe does not know, left to the time limit to end).
    case running(String)
    case completed
    /// FAILED, CANCELLED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, PREEMPTED, BOOT_FAIL, DEADLINE, ...
    case ended(String)

    private static let queuedWords: Set = ["PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "POWER_UP_NODE"]
    private static let endedWords: Set = [
        "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "SPECIAL_EXIT", "REVOKED",
    ]

    /// `word` as Slurm prints it; sacct's "CANCELLED by 1000" counts by its first word. Nil for
    /// a blank answer.
    package init?(slurm word: String) {
        guard let first = word.split(whereSeparator: { $0 == " " || $0 == "+" || $0.isNewline }).first.map(String.init) else { return nil }
        let state = first.uppercased()
        if state == "COMPLETED" {
            self = .completed
        } else if Self.queuedWords.contains(state) {
            self = .queued(state)
        } else if Self.endedWords.contains(state) {
            self = .ended(state)
        } else {
            self = .running(state)
        }
    }
}
