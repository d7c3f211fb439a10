import CLibUV

/// One job on libuv's thread pool: `work` runs on a pool thread, then `after` runs with its
/// result on the loop thread, where the events are appended.
///
/// `@unchecked Sendable`: the pool thread touches only `run` (and through it the result box);
/// libuv calls the after-work callback on the loop thread once `run` has returned, which
/// orders the result's write before its read.
final class WorkRequest: @unchecked Sendable {
    private let run: @Sendable () -> Void
    private let finish: () -> Void

    private init(run: @escaping @Sendable () -> Void, finish: @escaping () -> Void) {
        self.run = run
        self.finish = finish
    }

    /// Must be called on the loop thread.
    static func submit<Result: Sendable>(
        on loop: EventLoop,
        work: @escaping @Sendable () -> Result,
        after: @escaping (Result) -> Void
    ) {
        let box = ResultBox<Result>()
        let request = WorkRequest(run: { box.value = work() }, finish: { after(box.value!) })
        let raw = UnsafeMutablePointer<uv_work_t>.allocate(capacity: 1)
        raw.pointee.data = Unmanaged.passRetained(request).toOpaque()
        let rc = uv_queue_work(loop.raw, raw, { req in
            guard let data = req?.pointee.data else { return }
            Unmanaged<WorkRequest>.fromOpaque(data).takeUnretainedValue().run()
        }, { req, _ in
            guard let req, let data = req.pointee.data else { return }
            let request = Unmanaged<WorkRequest>.fromOpaque(data).takeRetainedValue()
            req.deallocate()
            request.finish()
        })
        precondition(rc == 0, "uv_queue_work failed: \(UVError(rc))")
    }
}

private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}
