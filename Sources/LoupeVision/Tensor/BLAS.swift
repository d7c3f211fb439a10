import COpenBLAS

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

/// The OpenBLAS thread count. It is process-wide state; bitwise reproducibility of training
/// holds for a fixed value, because OpenBLAS splits GEMMs by output block, never across K.
public enum ComputeThreads {
    public static var count: Int { Int(openblas_get_num_threads()) }

    public static func set(_ threads: Int) {
        openblas_set_num_threads(Int32(max(1, threads)))
    }
}
