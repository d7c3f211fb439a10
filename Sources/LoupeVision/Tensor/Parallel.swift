import Dispatch

/// Fork-join over a fixed number of workers, used by the layers to split a batch (or the rows
/// of one image) across cores.
///
/// Each worker index always gets the same share of the work and reductions are summed in worker
/// order, so results depend on the worker count but never on scheduling.
enum Parallel {
    /// Runs `body(worker)` for every worker in `0..<workers` and returns when all have finished.
    /// `body` must only write memory that no other worker touches.
    static func run(_ workers: Int, _ body: (Int) -> Void) {
        if workers <= 1 {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { shared.value($0) }
        }
    }

    /// `body` once per worker with its share of `0..<count`, over at most `workers` workers
    /// (fewer when there are fewer items than workers).
    static func split(_ count: Int, across workers: Int, _ body: (Range<Int>) -> Void) {
        let parts = max(1, min(workers, count))
        run(parts) { body(share($0, of: parts, count: count)) }
    }

    /// Disjoint, contiguous share `part` of `0..<count` split `parts` ways.
    static func share(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }
}

/// Carries a closure over raw pointers into `concurrentPerform`; safety rests on the disjoint-write
/// rule documented on `Parallel.run`.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) { self.value = value }
}
