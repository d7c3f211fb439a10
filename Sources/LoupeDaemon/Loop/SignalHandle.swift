import CLibUV

/// Delivers a POSIX signal on the loop thread instead of in a signal handler.
final class SignalHandle {
    private let handle: UnsafeMutablePointer<uv_signal_t>
    private let callback: (Int32) -> Void

    init(loop: EventLoop, signal: Int32, callback: @escaping (Int32) -> Void) throws {
        handle = .allocate(capacity: 1)
        self.callback = callback
        uv_signal_init(loop.raw, handle)
        handle.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        try UVError.check(uv_signal_start(handle, { signalHandle, number in
            guard let data = signalHandle?.pointee.data else { return }
            Unmanaged<SignalHandle>.fromOpaque(data).takeUnretainedValue().callback(number)
        }, signal))
    }

    func close() {
        handle.pointee.data = nil
        closeHandle(handle)
    }
}
