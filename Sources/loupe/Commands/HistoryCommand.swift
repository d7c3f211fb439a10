import ArgumentParser
import LoupeLab

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Everything that happened to one image, in order, with the models involved."
    )

    @OptionGroup var options: LabOptions

    @Argument(help: "The image: original name, stem (im0001) or SHA-256 prefix.")
    var image: String

    @Flag(help: "One JSON object per line.")
    var json = false

    func run() throws {
        let workspace = try options.open(readOnly: true)
        let history: ImageHistory
        do { history = try workspace.history(of: image) } catch let error as LookupError {
            printError("\(error)")
            throw ExitCode(1)
        }
        if json {
            for row in history.events { print(try EventFormatting.json(row)) }
            return
        }
        let record = history.image
        print("\(EventRow.printable(record.name))  sha256 \(record.sha)  \(record.width)x\(record.height)  now \(record.state.rawValue)")
        if history.names.count > 1 {
            print("also dropped as \(history.names.dropFirst().map(EventRow.printable).joined(separator: ", "))")
        }
        for row in history.events { print(EventFormatting.line(row)) }
        for model in history.models {
            print("model \(EventRow.short(model.sha)): run \(model.run), \(model.epochs) epochs, validation Dice \(model.validationDice.map { EventRow.format($0) } ?? "-"), \(model.status)")
        }
    }
}
