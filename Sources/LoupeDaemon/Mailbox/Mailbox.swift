import LoupeLab
import Synchronization

/// The one way into the lab for writers on other threads (the HTTP server): an operation is
/// queued here, the loop is woken through a libuv async handle, and the loop thread, which
/// owns the ledger's writer, runs it and hands the result back to the awaiting caller.
///
/// Thread-safe: `perform` may be called from any thread or task.
package final class Mailbox: Sendable {
    private struct State {
        var jobs: [Job] = []
        var sender: AsyncHandle.Sender?
        var closed: MailboxError?
    }

    struct Job: Sendable {
        let run: @Sendable (LoopContext) -> Void
        let fail: @Sendable (MailboxError) -> Void
    }

    private let state = Mutex(State())

    package init() {}

    /// Runs `operation` on the loop thread and returns what it returns or throws. Waits, not
    /// fails, while the daemon is still starting; throws `MailboxError` once it is stopping.
    package func perform<Result: Sendable>(_ operation: @escaping @Sendable (LoopContext) throws -> Result) async throws -> Result {
        try await request { context, reply in reply(Swift.Result { try operation(context) }) }
    }

    /// Like `perform`, for an operation that answers later: `start` runs on the loop thread and
    /// calls its reply exactly once, then or later, from the loop thread.
    package func request<Result: Sendable>(
        _ start: @escaping @Sendable (LoopContext, @escaping @Sendable (Swift.Result<Result, any Error>) -> Void) -> Void
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let job = Job(
                run: { context in start(context) { continuation.resume(with: $0) } },
                fail: { continuation.resume(throwing: $0) }
            )
            let refused: MailboxError? = state.withLock { state in
                if let closed = state.closed { return closed }
                state.jobs.append(job)
                state.sender?.wake()
                return nil
            }
            if let refused { job.fail(refused) }
        }
    }

    /// Loop thread: starts delivering to the loop through `sender`, including what waited.
    func open(_ sender: AsyncHandle.Sender) {
        state.withLock { state in
            state.sender = sender
            if !state.jobs.isEmpty { sender.wake() }
        }
    }

    /// Loop thread: the jobs queued since the last call, in the order they were posted.
    func take() -> [Job] {
        state.withLock { state in
            defer { state.jobs = [] }
            return state.jobs
        }
    }

    /// Loop thread, before the async handle closes: refuses what is queued and all later jobs.
    func close(_ reason: MailboxError) {
        let left = state.withLock { state in
            state.closed = reason
            state.sender = nil
            defer { state.jobs = [] }
            return state.jobs
        }
        for job in left { job.fail(reason) }
    }
}

package enum MailboxError: Error, Equatable, CustomStringConvertible {
    case stopping(String)

    package var description: String {
        switch self {
        case .stopping(let reason): "the daemon is stopping (\(reason)); nothing was recorded"
        }
    }
}

/// What an operation sent through the mailbox may use, on the loop thread: the lab's writer,
/// and a way to tell the scheduler what happened so it can start the right work.
package struct LoopContext {
    package let workspace: Workspace
    let onCorrection: () -> Void
    let onPredictSoon: (String, UInt64, @escaping OnDemandRequests.Reply) -> Void
    let onCancelPrediction: (String, UInt64) -> Void
    let onHint: (HintAsked, UInt64, @escaping HintRequests.Reply) -> Void
    let onCancelHint: (UInt64) -> Void
    let onPool: (@escaping @Sendable () -> Void, @escaping () -> Void) -> Void

    /// Call after a correction was examined and recorded: the quiet period before a retraining
    /// counts from it when `ExaminedCorrection.restartsQuietPeriod` says so, as for a dropped one.
    package func correctionExamined(_ examined: ExaminedCorrection) {
        if examined.restartsQuietPeriod { onCorrection() }
    }

    /// Queues a prediction of `image` by the serving model ahead of the background sweep;
    /// `reply` is called on the loop once it is made and recorded, or cannot be.
    package func predictSoon(image: String, ticket: UInt64, reply: @escaping @Sendable (Result<PredictionMade, any Error>) -> Void) {
        onPredictSoon(image, ticket, reply)
    }

    /// Queues a hint in the on-demand lane ahead of predictions; `reply` is called on the loop
    /// with the answer, or with why there is none.
    package func hint(_ hint: HintAsked, ticket: UInt64, reply: @escaping @Sendable (Result<HintAnswer, any Error>) -> Void) {
        onHint(hint, ticket, reply)
    }

    /// The waiter of the hint with `ticket` left.
    package func cancelHint(ticket: UInt64) {
        onCancelHint(ticket)
    }

    /// Runs `work` on the loop's thread pool, where dropped files are examined, and hands its
    /// result to `reply` on the loop thread.
    package func onPool<Result: Sendable>(_ work: @escaping @Sendable () -> Result, reply: @escaping @Sendable (Result) -> Void) {
        let slot = PoolResult<Result>()
        onPool({ slot.value = work() }, { reply(slot.value!) })
    }

    /// The waiter with `ticket` left: its reply is called with `CancellationError` now.
    package func cancelPrediction(image: String, ticket: UInt64) {
        onCancelPrediction(image, ticket)
    }
}

/// Carries a pool job's result to the loop thread: written on the pool, read after the job
/// ended (libuv orders the two), never at the same time.
private final class PoolResult<Value>: @unchecked Sendable {
    var value: Value?
}
