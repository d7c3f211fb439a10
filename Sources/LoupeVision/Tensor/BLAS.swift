import COpenBLAS
import Foundation
import Synchronization

/// Row-major single-precision GEMM, C = alpha * op(A) * op(B) + beta * C, with explicit
/// leading dimensions so callers can address column blocks of a larger matrix.
@inline(__always)
func sgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// The number of cores the layers split their work across.
///
/// The layers parallelise over images (or row bands) themselves and call OpenBLAS
/// single-threaded: with many small GEMMs per step, OpenBLAS's own threads spend more time
/// synchronising than computing, and a busy machine makes that much worse. Weights are
/// bitwise reproducible for a fixed count. Process-wide: set it before work starts.
public enum ComputeThreads {
    private static let configured = Mutex<Int?>(nil)
    /// Read once: the count must not change under a training that has started.
    private static let detected = ProcessInfo.processInfo.activeProcessorCount

    public static var count: Int {
        configured.withLock { $0 } ?? detected
    }

    public static func set(_ threads: Int) {
        configured.withLock { $0 = max(1, threads) }
        keepBLASSingleThreaded()
    }

    static func keepBLASSingleThreaded() {
        openblas_set_num_threads(1)
    }
}
