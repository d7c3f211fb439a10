/// Per-worker work buffers reused across layer calls, so im2col columns and partial gradients do
/// not cost an allocation and page faults on every convolution.
///
/// One network evaluation owns one `Scratch`; worker `w` of `Parallel.run` uses only slot `w`.
final class Scratch {
    let workers: Int
    private var buffers: [UnsafeMutablePointer<Float>]
    private var capacities: [Int]

    init(workers: Int = ComputeThreads.count) {
        ComputeThreads.keepBLASSingleThreaded()
        AllocatorTuning.applied
        self.workers = max(1, workers)
        buffers = (0..<self.workers).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: 1) }
        capacities = Array(repeating: 0, count: self.workers)
    }

    deinit { buffers.forEach { $0.deallocate() } }

    /// Contents are undefined; the caller writes before it reads.
    func floats(_ count: Int, worker: Int = 0) -> UnsafeMutablePointer<Float> {
        if count > capacities[worker] {
            buffers[worker].deallocate()
            buffers[worker] = UnsafeMutablePointer<Float>.allocate(capacity: count)
            capacities[worker] = count
        }
        return buffers[worker]
    }

    /// Hands each worker its buffer up front: `floats` resizes the shared arrays and so must not
    /// be called from inside `Parallel.run`.
    func perWorker(_ count: Int) -> [UnsafeMutablePointer<Float>] {
        (0..<workers).map { floats(count, worker: $0) }
    }
}
