import ArgumentParser
import LoupeLab

@main
struct Loupe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loupe",
        abstract: "Human-in-the-loop segmentation: a model that improves with every correction.",
        version: LoupeVersion.current,
        subcommands: [
            InitCommand.self, RunCommand.self, IngestCommand.self, StatusCommand.self, QueueCommand.self, LogCommand.self, HistoryCommand.self,
            ReplayCommand.self, VerifyCommand.self, ReproduceCommand.self, TrainCommand.self, PredictCommand.self, EvalCommand.self,
            SimulateCommand.self, BenchCommand.self, BLASCommand.self, UserCommand.self, JobCommand.self,
        ]
    )

    static func main() {
        BLASKernelChoice.settle()
        main(nil)
    }
}
