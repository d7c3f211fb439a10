import ArgumentParser
import LoupeLab

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the hash chain and every object the log refers to."
    )

    @OptionGroup var options: LabOptions

    func run() throws {
        let workspace = try options.open(readOnly: true)
        do {
            let report = try workspace.verify()
            print("ok: \(report.events) events, \(report.objects) objects, head \(report.head)")
        } catch let failure as VerifyFailure {
            printError("verify failed: \(failure)")
            throw ExitCode(1)
        }
    }
}
