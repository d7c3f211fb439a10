import ArgumentParser
import LoupeHarness
import LoupeLab

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Images waiting for an expert, in the order to take them (queueStrategy in loupe.json)."
    )

    @OptionGroup var options: LabOptions

    @Option(help: "Show at most this many.")
    var limit: Int?

    @Option(help: "Override the lab's strategy: uncertainty, fifo, random or random:SEED.")
    var strategy: String?

    @Flag(help: "One JSON object per line.")
    var json = false

    struct Entry: Encodable {
        var rank: Int
        var name: String
        var image: String
        var state: String
        var uncertainty: Double?
        var vesselFraction: Double?
        var model: String?
        var prediction: String?
    }

    func validate() throws {
        if let strategy, QueueStrategy(strategy) == nil {
            throw ValidationError("unknown strategy '\(strategy)'; use uncertainty, fifo, random or random:SEED")
        }
    }

    func run() throws {
        let workspace = try options.open(readOnly: true)
        let queue = try workspace.annotationQueue(strategy: strategy.flatMap(QueueStrategy.init))
        let shown = queue.prefix(limit ?? queue.count)
        for (index, image) in shown.enumerated() {
            let entry = Entry(
                rank: index + 1, name: image.name, image: image.sha, state: image.state.rawValue, uncertainty: image.uncertainty,
                vesselFraction: image.vesselFraction, model: image.predictionModel,
                prediction: image.predictionModel == nil ? nil : try workspace.predictionPath(for: image)
            )
            if json {
                try printJSON(entry)
            } else {
                let uncertainty = image.uncertainty.map { EventRow.format($0) } ?? "-"
                print("\(String(entry.rank).leftPadded(to: 4))  \(EventRow.printable(image.name).rightPadded(to: 18))  \(EventRow.short(image.sha))  uncertainty \(uncertainty)  model \(EventRow.short(image.predictionModel))")
            }
        }
        if !json {
            print("\(queue.count) image\(queue.count == 1 ? "" : "s") waiting (strategy \(strategy ?? workspace.settings.queueStrategy.description))")
        }
    }
}
