import ArgumentParser
import LoupeLab

struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Retrain a model from what the log recorded and check the weights' SHA-256 matches."
    )

    @OptionGroup var options: LabOptions

    @Argument(help: "The model's SHA-256 or a prefix of it.")
    var model: String

    func run() throws {
        let workspace = try options.open(readOnly: true)
        let result = try workspace.reproduce(model: model) { progress in
            if progress.isEpochEnd { printError("epoch \(progress.epoch)/\(progress.plannedEpochs ?? 0): loss \(progress.loss)") }
        }
        print("model      \(result.model)")
        print("run        \(result.run): \(result.epochs) epochs on \(result.threads) thread\(result.threads == 1 ? "" : "s") (recorded: \(result.recordedThreads))")
        print("kernel     \(result.kernel.core) (recorded: \(result.recordedKernel?.core ?? "-"))")
        let recordedLibrary = result.recordedKernel.map { $0.libraryBuild == result.kernel.libraryBuild ? "the same" : $0.libraryBuild }
        print("library    \(result.kernel.libraryBuild) (recorded: \(recordedLibrary ?? "-"))")
        print("reproduced \(result.reproduced)")
        if result.matches {
            print("ok: identical weights")
        } else {
            print("differs: \(result.differingWeights) of \(result.weightCount) weights, largest difference \(result.largestDifference)")
            print(result.cause)
            throw ExitCode(1)
        }
    }
}
