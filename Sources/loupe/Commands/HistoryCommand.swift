import ArgumentParser
import LoupeLedger

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
        let projections = workspace.projections
        var found = try projections.images(stem: image)
        if found.isEmpty { found = try projections.images(shaPrefix: image) }
        guard found.count == 1, let record = found.first else {
            printError(found.isEmpty
                ? "no image matches '\(image)'"
                : "'\(image)' matches \(found.count) images: \(found.map(\.name).joined(separator: ", "))")
            throw ExitCode(1)
        }
        let rows = try workspace.ledger.history(ofImage: record.sha)
        if json {
            for row in rows { print(try EventFormatting.json(row)) }
            return
        }
        print("\(record.name)  sha256 \(record.sha)  \(record.width)x\(record.height)  now \(record.state.rawValue)")
        for row in rows { print(EventFormatting.line(row)) }
        let models = Dictionary(uniqueKeysWithValues: try projections.models().map { ($0.sha, $0) })
        let involved = Set(rows.compactMap { row -> String? in
            switch try? row.decoded() {
            case .predictionMade(let e): e.model
            case .correctionAccepted(let e): e.basedOnModel
            default: nil
            }
        })
        for sha in involved.sorted() {
            guard let model = models[sha] else { continue }
            print("model \(EventRow.short(sha)): run \(model.run), \(model.epochs) epochs, validation Dice \(model.validationDice.map { EventRow.format($0) } ?? "-"), \(model.status)")
        }
    }
}
