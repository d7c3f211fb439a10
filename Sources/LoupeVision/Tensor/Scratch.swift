/// A growable work buffer reused across layer calls, so im2col columns do not cost an
/// allocation and page faults on every convolution.
///
/// Not thread-safe: one network evaluation owns one `Scratch`.
final class Scratch {
    private var buffer: UnsafeMutablePointer<Float>
    private var capacity: Int

    init() {
        capacity = 0
        buffer = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    }

    deinit { buffer.deallocate() }

    /// Contents are undefined; the caller writes before it reads.
    func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            buffer.deallocate()
            buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
            capacity = count
        }
        return buffer
    }
}
