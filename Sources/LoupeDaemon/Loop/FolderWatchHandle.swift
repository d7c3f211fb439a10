import CLibUV

/// uv_fs_event on one folder. Only a hint that something changed: events can be coalesced or
/// lost, so the receiver re-lists the folder instead of trusting the file name it is given.
final class FolderWatchHandle {
    private let handle: UnsafeMutablePointer<uv_fs_event_t>
    private let callback: () -> Void

    init(loop: EventLoop, folder: String, callback: @escaping () -> Void) throws {
        handle = .allocate(capacity: 1)
        self.callback = callback
        uv_fs_event_init(loop.raw, handle)
        handle.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        try UVError.check(uv_fs_event_start(handle, { watch, _, _, _ in
            guard let data = watch?.pointee.data else { return }
            Unmanaged<FolderWatchHandle>.fromOpaque(data).takeUnretainedValue().callback()
        }, folder, 0))
    }

    func close() {
        handle.pointee.data = nil
        closeHandle(handle)
    }
}
