import Foundation
import LoupeVision

/// Makes every `loupe` process compute on the kernels this CPU calls for, whatever shell or
/// service started it, so that `run`, `train` and `reproduce` give the same weights.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` once, while it loads, before `main`: setting it later
/// changes nothing in this process. So when it is unset, `loupe` names the core for this CPU
/// and starts itself again with the variable set, before any argument is parsed. A variable
/// already set is left alone: that is how a user asks for another core (the one a recorded run
/// used, say), and it is what keeps the second start from starting a third.
enum BLASKernelChoice {
    static let variable = "OPENBLAS_CORETYPE"

    static func settle() {
        // Empty counts as unset, as it does for OpenBLAS.
        if let value = getenv(variable), value.pointee != 0 { return }
        let loaded = BLASKernel.current.core
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        guard let core = BLASKernel.core(cpuFlags: BLASKernel.cpuFlags(cpuinfo: cpuinfo)),
              core.lowercased() != loaded.lowercased() else {
            // Already on the right kernels; naming them spares the processes this one starts
            // (the daemon under `simulate`) a needless second start.
            setenv(variable, loaded, 1)
            return
        }
        setenv(variable, core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Still here: the exec failed, so this process keeps the kernels it loaded, and the
        // variable says which, as TrainingStarted will.
        setenv(variable, loaded, 1)
    }
}
