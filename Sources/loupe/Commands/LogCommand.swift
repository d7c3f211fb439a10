import ArgumentParser
import LoupeLab

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Print the event log.")

    @OptionGroup var options: LabOptions

    @Option(help: "Only events after this seq.")
    var after = 0

    @Option(help: "Only events of this type (e.g. CorrectionAccepted).")
    var type: String?

    @Flag(help: "One JSON object per line.")
    var json = false

    func validate() throws {
        if let type, EventKind(rawValue: type) == nil {
            throw ValidationError("unknown event type '\(type)'; known: \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let workspace = try options.open(readOnly: true)
        try workspace.forEachEvent(after: after, type: type.flatMap(EventKind.init(rawValue:))) { row in
            print(json ? try EventFormatting.json(row) : EventFormatting.line(row))
        }
    }
}
