#if canImport(Glibc)
import Glibc

/// glibc hands allocations above its mmap threshold straight back to the kernel when they are
/// freed, so every training step paid page faults for fresh activation tensors (about a tenth of
/// the step time). Keeping buffers up to 32 MiB (glibc's ceiling) in the heap, and not trimming
/// it, lets each step reuse the previous step's memory.
///
/// `mallopt` lives in <malloc.h>, which the Glibc module does not export; it is looked up at
/// run time instead, and skipped on a C library without it.
enum AllocatorTuning {
    private typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
    private static let trimThreshold: Int32 = -1
    private static let mmapThreshold: Int32 = -3

    static let applied: Void = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        _ = mallopt(mmapThreshold, 32 << 20)
        _ = mallopt(trimThreshold, 512 << 20)
    }()
}
#else
enum AllocatorTuning {
    static let applied: Void = ()
}
#endif
