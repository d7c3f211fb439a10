import ArgumentParser
import LoupeLab

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the hash chain, its head against loupe.head, and every object the log refers to."
    )

    @OptionGroup var options: LabOptions

    func run() throws {
        let workspace = try options.open(readOnly: true)
        do {
            let report = try workspace.verify()
            print("ok: \(report.events) events, \(report.objects) objects, head \(report.head)")
            print("anchor: \(Self.describe(report.anchor, logEnds: report.events))")
            for warning in report.warnings { print("warning: \(warning)") }
        } catch let failure as VerifyFailure {
            printError("verify failed: \(failure)")
            printError("anchor: \(failure.anchor.map(\.description) ?? "none")")
            throw ExitCode(1)
        }
    }

    /// An anchor behind the log is what a crash between a commit and the anchor's write leaves.
    static func describe(_ anchor: HeadAnchor?, logEnds: Int) -> String {
        guard let anchor else { return "none" }
        guard anchor.seq < logEnds else { return "\(anchor), at the log's head" }
        return "\(anchor), \(logEnds - anchor.seq) event\(logEnds - anchor.seq == 1 ? "" : "s") behind the log's head (written after each commit; a crash in between leaves it behind)"
    }
}
