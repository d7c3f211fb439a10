import COpenBLAS

/// The OpenBLAS kernels this process computes with, as the library reports them.
///
/// Weights are bitwise reproducible only on the same kernels: each kernel set blocks and sums
/// a GEMM in its own order. OpenBLAS picks the set once, when it loads, from the CPU or from
/// `OPENBLAS_CORETYPE`, so it is fixed for the life of the process.
public struct BLASKernel: Sendable, Equatable {
    /// `openblas_get_corename()`, e.g. "Haswell".
    public var core: String
    /// `openblas_get_config()`: version and build options, with the core among them, then the
    /// 3x3 convolution path, e.g.
    /// "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64 conv3x3=direct".
    public var library: String

    public init(core: String, library: String) {
        self.core = core
        self.library = library
    }

    public static var current: BLASKernel {
        BLASKernel(
            core: String(cString: openblas_get_corename()),
            library: String(cString: openblas_get_config()) + " conv3x3=\(ConvolutionPath.preferred.rawValue)")
    }

    /// The library's words other than the core's name: two runs on different cores of one
    /// library are a kernel difference, not a library difference.
    public var libraryBuild: String {
        library.split(separator: " ").filter { $0.lowercased() != core.lowercased() }.joined(separator: " ")
    }

    /// The core to name in `OPENBLAS_CORETYPE` for a CPU with these `/proc/cpuinfo` flags, or
    /// nil to let OpenBLAS decide. Debian's OpenBLAS 0.3.21 falls back to its SSE3 "Prescott"
    /// kernels on CPUs newer than it knows (AVX-512 Xeons among them), about 3.5x slower;
    /// naming the core by the CPU's own flags keeps it on the vector units the CPU has, and
    /// makes the choice the same wherever the flags are.
    public static func core(cpuFlags: Set<Substring>) -> String? {
        if cpuFlags.contains("avx512f") { return "SkylakeX" }
        if cpuFlags.contains("avx2") { return "Haswell" }
        return nil
    }

    /// The flags of the first processor listed in a `/proc/cpuinfo` text.
    public static func cpuFlags(cpuinfo: String) -> Set<Substring> {
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].split(whereSeparator: \.isWhitespace) == ["flags"] else { continue }
            return Set(parts[1].split(whereSeparator: \.isWhitespace))
        }
        return []
    }
}
