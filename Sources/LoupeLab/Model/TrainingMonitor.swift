import LoupeVision
import Synchronization

/// What a training on a worker thread shares with the loop: its latest progress (for status)
/// and the request to stop at the next batch (for shutdown).
package final class TrainingMonitor: Sendable {
    private let latest = Mutex<TrainingProgress?>(nil)
    private let stop = Atomic<Bool>(false)

    package init() {}

    /// Worker thread, after every batch.
    func report(_ progress: TrainingProgress) {
        latest.withLock { $0 = progress }
    }

    package var progress: TrainingProgress? { latest.withLock { $0 } }

    package func requestStop() {
        stop.store(true, ordering: .relaxed)
    }

    var stopRequested: Bool { stop.load(ordering: .relaxed) }
}
