import CLibUV

/// A libuv async handle: the one libuv call that is safe from any thread (`uv_async_send`)
/// wakes the loop, which then runs `callback` on its own thread. Several sends before the
/// loop wakes may be coalesced into one callback, so the callback drains whatever is queued.
///
/// Made, closed and called back on the loop thread only; `sender` is what other threads get.
final class AsyncHandle {
    private let handle: UnsafeMutablePointer<uv_async_t>
    private let callback: () -> Void

    init(loop: EventLoop, callback: @escaping () -> Void) throws {
        loop.assertInLoop()
        handle = .allocate(capacity: 1)
        self.callback = callback
        try UVError.check(uv_async_init(loop.raw, handle) { async in
            guard let data = async?.pointee.data else { return }
            Unmanaged<AsyncHandle>.fromOpaque(data).takeUnretainedValue().callback()
        })
        handle.pointee.data = Unmanaged.passUnretained(self).toOpaque()
    }

    /// The part of the handle another thread may hold: it can only wake the loop.
    var sender: Sender { Sender(handle: handle) }

    func close() {
        handle.pointee.data = nil
        closeHandle(handle)
    }

    /// `@unchecked Sendable`: `uv_async_send` is documented thread-safe; the mailbox stops
    /// calling it (under its lock) before the loop closes the handle.
    struct Sender: @unchecked Sendable {
        fileprivate let handle: UnsafeMutablePointer<uv_async_t>

        func wake() {
            uv_async_send(handle)
        }
    }
}
