import ArgumentParser
import LoupeHarness
import LoupeLab

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild the projections from the event log.",
        discussion: """
            With no option, replaces the live projections with a full replay. --to SEQ prints the state \
            as of that event without touching the workspace. --check compares a full replay with the live \
            projections and exits 1 listing every difference.
            """
    )

    @OptionGroup var options: LabOptions

    @Option(help: "Show the state as of this seq.")
    var to: Int?

    @Flag(help: "Compare a full replay with the live projections.")
    var check = false

    func validate() throws {
        if check && to != nil { throw ValidationError("--check compares the full log; drop --to") }
    }

    func run() throws {
        if check {
            let workspace = try options.open(readOnly: true)
            let differences = try workspace.replayDifferences()
            guard differences.isEmpty else {
                differences.forEach { printError($0) }
                printError("replay differs from the live projections in \(differences.count) rows")
                throw ExitCode(1)
            }
            print("ok: replay of \(try workspace.headSeq()) events equals the live projections")
        } else if let to {
            let workspace = try options.open(readOnly: true)
            let state = try workspace.state(asOf: to)
            print("state as of seq \(to):")
            for image in state.images {
                let model = image.predictionModel.map { " predicted by \(EventRow.short($0))" } ?? ""
                print("  \(EventRow.printable(image.name).rightPadded(to: 16)) \(EventRow.short(image.sha))  \(image.state.rawValue)\(model)")
            }
            for model in state.models {
                print("  model \(EventRow.short(model.sha)) run \(model.run) \(model.status)")
            }
            print("  \(state.rejected) rejected files")
        } else {
            let workspace = try options.open()
            let count = try workspace.rebuildProjections()
            print("rebuilt the projections from \(count) events")
        }
    }
}
