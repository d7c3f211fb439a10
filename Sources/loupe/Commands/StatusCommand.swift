import ArgumentParser
import LoupeLab
import LoupeLedger

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Summarise the workspace.")

    @OptionGroup var options: LabOptions

    @Flag(help: "Machine-readable output.")
    var json = false

    struct Report: Encodable {
        var lab: String
        var images: [String: Int]
        var currentModel: ModelRecord?
        var lastEvent: LastEvent?
        var rejected: Int
        var runs: Int

        struct LastEvent: Encodable {
            var seq: Int
            var type: String
            var at: String
        }
    }

    func run() throws {
        let workspace = try options.open(readOnly: true)
        let projections = workspace.projections
        let counts = try projections.countsByState()
        let last = try workspace.ledger.events(after: max(0, try workspace.ledger.head().seq - 1)).last
        let report = Report(
            lab: workspace.root,
            images: Dictionary(uniqueKeysWithValues: ImageState.allCases.map { ($0.rawValue, counts[$0] ?? 0) }),
            currentModel: try projections.currentModel(),
            lastEvent: last.map { Report.LastEvent(seq: $0.seq, type: $0.type, at: $0.at) },
            rejected: try projections.rejected().count,
            runs: try projections.runs().count
        )
        if json { return try printJSON(report) }
        print("lab        \(report.lab)")
        let total = report.images.values.reduce(0, +)
        print("images     \(total): " + ImageState.allCases.map { "\(report.images[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
        if let model = report.currentModel {
            print("model      \(shortSHA(model.sha)) from run \(model.run), validation Dice \(model.validationDice.map { EventFormatting.format($0) } ?? "-")")
        } else {
            print("model      none yet")
        }
        print("rejected   \(report.rejected) file\(report.rejected == 1 ? "" : "s") in rejected/")
        print("last event " + (report.lastEvent.map { "\($0.seq) \($0.type) at \($0.at)" } ?? "none"))
    }
}
