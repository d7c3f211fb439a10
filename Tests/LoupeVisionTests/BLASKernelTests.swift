import Testing
@testable import LoupeVision

@Suite struct BLASKernelTests {
    /// The widest vector unit the CPU has decides.
    @Test(arguments: [
        ("fpu sse sse2 pni ssse3 sse4_1 sse4_2 avx", nil),
        ("fpu sse sse2 pni ssse3 sse4_1 sse4_2 avx fma avx2 bmi2", "Haswell"),
        ("fpu sse2 avx avx2 avx512f avx512dq avx512cd avx512bw avx512vl", "SkylakeX"),
        ("avx512f", "SkylakeX"),
        ("avx512_vnni avx512vl", nil),
        ("avx2x", nil),
        ("", nil),
    ] as [(String, String?)])
    func coreFollowsTheCPUFlags(_ flags: String, _ core: String?) {
        #expect(BLASKernel.core(cpuFlags: BLASKernel.cpuFlags(cpuinfo: "flags\t\t: \(flags)\n")) == core)
    }

    @Test func flagsComeFromTheFirstProcessorsFlagsLine() {
        let cpuinfo = """
            processor\t: 0
            model name\t: AMD EPYC
            vmx flags\t: avx512f
            flags\t\t: fpu sse2 avx2
            bugs\t\t: sysret_ss_attrs

            processor\t: 1
            flags\t\t: fpu sse2 avx2 avx512f

            """
        #expect(BLASKernel.cpuFlags(cpuinfo: cpuinfo) == ["fpu", "sse2", "avx2"])
        #expect(BLASKernel.cpuFlags(cpuinfo: "processor\t: 0\n") == [])
    }

    @Test func theLibraryBuildLeavesOutTheCore() {
        let haswell = BLASKernel(core: "Haswell", library: "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64")
        let skylake = BLASKernel(core: "SkylakeX", library: "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64")
        #expect(haswell.libraryBuild == "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY MAX_THREADS=64")
        #expect(haswell.libraryBuild == skylake.libraryBuild)
    }

    @Test func theLoadedLibraryNamesItsCore() {
        let current = BLASKernel.current
        #expect(!current.core.isEmpty)
        #expect(current.library.hasPrefix("OpenBLAS "))
        #expect(current.library.split(separator: " ").contains(Substring(current.core)))
    }
}
