import ArgumentParser
import LoupeLedger

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the hash chain and every object the log refers to."
    )

    @OptionGroup var options: LabOptions

    func run() throws {
        let workspace = try options.open(readOnly: true)
        do {
            let report = try Verifier.verify(workspace.ledger, objects: workspace.objects)
            print("ok: \(report.events) events, \(report.objects) objects, head \(report.head)")
        } catch let failure as Verifier.Failure {
            printError("verify failed: \(failure)")
            throw ExitCode(1)
        }
    }
}
