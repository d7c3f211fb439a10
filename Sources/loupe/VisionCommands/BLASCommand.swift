import ArgumentParser
import Foundation
import LoupeVision

/// What a training in this process would record as its kernel: shows the start-up choice at
/// work (`env -u OPENBLAS_CORETYPE loupe blas`).
struct BLASCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blas",
        abstract: "Print the OpenBLAS core and library this process computes with."
    )

    func run() {
        let kernel = BLASKernel.current
        print("kernel     \(kernel.core)")
        print("library    \(kernel.library)")
        print("\(BLASKernelChoice.variable)=\(ProcessInfo.processInfo.environment[BLASKernelChoice.variable] ?? "")")
    }
}
