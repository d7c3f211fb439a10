import CLibUV

/// A repeating or one-shot libuv timer. Loop thread only; the owner keeps it alive until `close()`.
final class TimerHandle {
    private let handle: UnsafeMutablePointer<uv_timer_t>
    private let callback: () -> Void

    init(loop: EventLoop, callback: @escaping () -> Void) {
        handle = .allocate(capacity: 1)
        self.callback = callback
        uv_timer_init(loop.raw, handle)
        handle.pointee.data = Unmanaged.passUnretained(self).toOpaque()
    }

    func start(afterMilliseconds delay: UInt64, repeatMilliseconds: UInt64 = 0) {
        uv_timer_start(handle, { timer in
            guard let data = timer?.pointee.data else { return }
            Unmanaged<TimerHandle>.fromOpaque(data).takeUnretainedValue().callback()
        }, delay, repeatMilliseconds)
    }

    func stop() {
        uv_timer_stop(handle)
    }

    func close() {
        handle.pointee.data = nil
        closeHandle(handle)
    }
}
