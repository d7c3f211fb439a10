import LoupeLab

/// Hints people wait for, queued on the loop: each is one expert's clicks on one image, so
/// none is shared. They take the on-demand lane before queued predictions (an expert waits on
/// each click), one at a time beside the heavy job; a waiter that leaves before its hint
/// starts takes it with it.
///
/// Loop thread only: part of `DaemonState`.
struct HintRequests {
    typealias Reply = @Sendable (Result<HintAnswer, any Error>) -> Void

    private(set) var pending: [(ticket: UInt64, job: HintJob, reply: Reply)] = []
    /// The hint running now and who waits for it (nil once that waiter left).
    private(set) var running: (ticket: UInt64, reply: Reply?)?

    var isIdle: Bool { running == nil }
    var waiting: Int { pending.count + (running == nil ? 0 : 1) }

    /// Queues a hint; false when `limit` hints already wait (the caller is answered busy).
    mutating func add(ticket: UInt64, job: HintJob, reply: @escaping Reply, limit: Int) -> Bool {
        guard waiting < limit else { return false }
        pending.append((ticket, job, reply))
        return true
    }

    /// The waiter that left: its reply, to be answered; a queued hint goes with it.
    mutating func remove(ticket: UInt64) -> Reply? {
        if running?.ticket == ticket {
            defer { running?.reply = nil }
            return running?.reply
        }
        guard let index = pending.firstIndex(where: { $0.ticket == ticket }) else { return nil }
        return pending.remove(at: index).reply
    }

    /// Starts the next hint, if none is running.
    mutating func start() -> HintJob? {
        guard running == nil, !pending.isEmpty else { return nil }
        let next = pending.removeFirst()
        running = (next.ticket, next.reply)
        return next.job
    }

    /// Ends the running hint; returns its waiter, if still there.
    mutating func finish() -> Reply? {
        defer { running = nil }
        return running?.reply
    }

    /// Every queued waiter, for a daemon that stops.
    mutating func drainPending() -> [Reply] {
        defer { pending = [] }
        return pending.map(\.reply)
    }
}
