import CTIFF

/// Lets libtiff read a TIFF from memory through its client callbacks, so no temporary file
/// is written. The bytes must outlive the handle.
final class TIFFMemoryFile {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Opens `bytes` read-only; nil when libtiff cannot read the header or first directory,
    /// with its reason in the buffer the options report errors to. TIFFClose the handle.
    static func open(_ bytes: UnsafeBufferPointer<UInt8>, options: OpaquePointer) -> OpaquePointer? {
        let file = Unmanaged.passRetained(TIFFMemoryFile(bytes)).toOpaque()
        let tiff = TIFFClientOpenExt("memory", "rm", file, read, write, seek, close, size, map, unmap, options)
        // TIFFClose calls `close`, which releases the file; a failed open never calls it.
        if tiff == nil { Unmanaged<TIFFMemoryFile>.fromOpaque(file).release() }
        return tiff
    }

    private static func file(_ handle: thandle_t?) -> TIFFMemoryFile {
        Unmanaged<TIFFMemoryFile>.fromOpaque(handle!).takeUnretainedValue()
    }

    private static let read: TIFFReadWriteProc = { handle, buffer, count in
        let file = TIFFMemoryFile.file(handle)
        let available = min(Int(count), file.bytes.count - file.position)
        guard available > 0, let buffer else { return 0 }
        buffer.copyMemory(from: file.bytes.baseAddress! + file.position, byteCount: available)
        file.position += available
        return tmsize_t(available)
    }

    private static let write: TIFFReadWriteProc = { _, _, _ in -1 }

    private static let seek: TIFFSeekProc = { handle, offset, whence in
        let file = TIFFMemoryFile.file(handle)
        let base: Int
        switch whence {
        case SEEK_CUR: base = file.position
        case SEEK_END: base = file.bytes.count
        default: base = 0
        }
        // Offsets arrive unsigned; a relative seek backwards is a wrapped negative number.
        let (target, overflow) = base.addingReportingOverflow(Int(truncatingIfNeeded: offset))
        guard !overflow, target >= 0 else { return toff_t.max }
        file.position = target
        return toff_t(target)
    }

    private static let close: TIFFCloseProc = { handle in
        Unmanaged<TIFFMemoryFile>.fromOpaque(handle!).release()
        return 0
    }

    private static let size: TIFFSizeProc = { handle in toff_t(TIFFMemoryFile.file(handle).bytes.count) }

    private static let map: TIFFMapFileProc = { _, _, _ in 0 }

    private static let unmap: TIFFUnmapFileProc = { _, _, _ in }
}
