/// How long to leave a transient failure (database busy or full, disk full) alone before trying
/// again: doubling from one second to a minute while it lasts, reset by a success.
struct Backoff: Equatable {
    static let first: UInt64 = 1_000
    static let longest: UInt64 = 60_000

    /// Loop time before which nothing is retried.
    private(set) var pausedUntil: UInt64 = 0
    private(set) var delay: UInt64 = 0

    /// Records a failure at loop time `now`; returns the wait and whether a streak begins
    /// (the one failure worth a log line).
    mutating func failed(now: UInt64) -> (wait: UInt64, startsStreak: Bool) {
        let startsStreak = delay == 0
        delay = startsStreak ? Self.first : min(delay * 2, Self.longest)
        pausedUntil = now + delay
        return (delay, startsStreak)
    }

    /// Returns whether a streak of failures just ended.
    mutating func succeeded() -> Bool {
        defer { delay = 0; pausedUntil = 0 }
        return delay != 0
    }
}
