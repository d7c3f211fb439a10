import Foundation
import LoupeVision
import Testing

/// The `loupe` binary picks its OpenBLAS kernels itself, whatever environment starts it.
@Suite struct BLASKernelChoiceTests {
    /// The kernel the process computed with, and the OPENBLAS_CORETYPE it saw.
    static func blas(coreType: String?) throws -> (kernel: String, variable: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = coreType
        let (status, output) = try DaemonHarness.runLoupe(["blas"], environment: environment)
        #expect(status == 0)
        var kernel = ""
        var variable = ""
        for line in output.split(separator: "\n") {
            if line.hasPrefix("kernel ") { kernel = line.dropFirst("kernel ".count).trimmingCharacters(in: .whitespaces) }
            if line.hasPrefix("OPENBLAS_CORETYPE=") { variable = String(line.dropFirst("OPENBLAS_CORETYPE=".count)) }
        }
        return (kernel, variable)
    }

    @Test(arguments: [nil, ""] as [String?])
    func withoutTheVariableTheBinaryRunsOnTheCoreItsCPUFlagsName(_ coreType: String?) throws {
        let (kernel, variable) = try Self.blas(coreType: coreType)
        #expect(!variable.isEmpty)
        #expect(kernel.lowercased() == variable.lowercased())
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if let named = BLASKernel.core(cpuFlags: BLASKernel.cpuFlags(cpuinfo: cpuinfo)) {
            #expect(kernel == named)
        }
    }

    #if arch(x86_64)
    @Test func aVariableAlreadySetIsLeftAlone() throws {
        let (kernel, variable) = try Self.blas(coreType: "Prescott")
        #expect(kernel == "Prescott")
        #expect(variable == "Prescott")
    }
    #endif
}
