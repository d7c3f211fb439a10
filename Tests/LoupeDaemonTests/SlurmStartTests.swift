import Foundation
import LoupeLedger
import Testing

/// `loupe run` with executor.kind slurm refuses to start when the cluster cannot take its
/// jobs: it exits with the reason instead of starting a daemon whose trainings would wait forever.
@Suite struct SlurmStartTests {
    @Test func runRefusesALabWhoseJobDirectoryIsMissingBeforeDaemonStarted() throws {
        let missing = NSTemporaryDirectory() + "loupe-no-jobs-\(UUID().uuidString)"
        let lab = try DaemonHarness(settings: #"""
            {"executor": {"kind": "slurm", "binary": "\#(DaemonHarness.binary)", "jobDirectory": "\#(missing)"}}
            """#)
        let (status, output, errors) = try DaemonHarness.runLoupeCapturingErrors(["run", "--lab", lab.root, "--no-http"])
        #expect(status == 1)
        #expect(output.isEmpty)
        #expect(errors.contains("executor.jobDirectory \(missing) does not exist or is not a folder"), "\(errors)")
        #expect(try lab.ledger.events(type: .daemonStarted).isEmpty)
        let (statusCode, report, _) = try DaemonHarness.runLoupeCapturingErrors(["status", "--lab", lab.root])
        #expect(statusCode == 0)
        #expect(report.contains("executor   slurm: cannot take jobs: executor.jobDirectory \(missing) does not exist"), "status says why: \(report)")
    }
}
