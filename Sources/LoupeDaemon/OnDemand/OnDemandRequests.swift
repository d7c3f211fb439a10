import LoupeLab

/// Predictions someone is waiting for (the image a person opened, a task Label Studio asked
/// about), queued on the loop ahead of the background sweep. One runs at a time, beside
/// whatever heavy job runs, so an image opens during a training; requests for the same image
/// share one prediction; a waiter that leaves takes its request with it.
///
/// Loop thread only: part of `DaemonState`.
struct OnDemandRequests {
    typealias Reply = @Sendable (Result<PredictionMade, any Error>) -> Void

    /// Images in the order first asked, each with its waiters by ticket.
    private(set) var pending: [(image: String, waiters: [UInt64: Reply])] = []
    /// The image being predicted now, and who waits for it.
    private(set) var running: (image: String, waiters: [UInt64: Reply])?

    var isIdle: Bool { running == nil }
    var waiting: Int { pending.reduce(0) { $0 + $1.waiters.count } + (running?.waiters.count ?? 0) }

    /// Adds a waiter; false when `limit` waiters are already queued (the caller is answered busy).
    mutating func add(image: String, ticket: UInt64, reply: @escaping Reply, limit: Int) -> Bool {
        guard waiting < limit else { return false }
        if running?.image == image {
            running?.waiters[ticket] = reply
        } else if let index = pending.firstIndex(where: { $0.image == image }) {
            pending[index].waiters[ticket] = reply
        } else {
            pending.append((image, [ticket: reply]))
        }
        return true
    }

    /// Removes a waiter that left, and its image if no one else waits for it and it has not
    /// started; returns the waiter's reply so the caller can answer it.
    mutating func remove(image: String, ticket: UInt64) -> Reply? {
        if running?.image == image { return running?.waiters.removeValue(forKey: ticket) }
        guard let index = pending.firstIndex(where: { $0.image == image }) else { return nil }
        let reply = pending[index].waiters.removeValue(forKey: ticket)
        if pending[index].waiters.isEmpty { pending.remove(at: index) }
        return reply
    }

    /// Starts the next image, if none is running.
    mutating func start() -> String? {
        guard running == nil, !pending.isEmpty else { return nil }
        running = pending.removeFirst()
        return running?.image
    }

    /// Ends the running image; returns its waiters to be answered.
    mutating func finish() -> [Reply] {
        defer { running = nil }
        return running.map { Array($0.waiters.values) } ?? []
    }

    /// Every queued waiter, for a daemon that stops: they are answered, none left hanging.
    mutating func drainPending() -> [Reply] {
        defer { pending = [] }
        return pending.flatMap { $0.waiters.values }
    }
}

/// Why a prediction asked for could not be made.
package enum OnDemandError: Error, CustomStringConvertible {
    case noModel
    case failed(String)
    case busy(Int)
    case busyHints(Int)

    package var description: String {
        switch self {
        case .noModel: "no model is serving yet: the first one is trained once enough corrections arrive"
        case .failed(let reason): "the prediction failed: \(reason)"
        case .busy(let waiting): "\(waiting) predictions are already waiting (server.maxPendingPredictions); try again shortly"
        case .busyHints(let waiting): "\(waiting) hints are already waiting (server.maxPendingPredictions); try again shortly"
        }
    }
}
