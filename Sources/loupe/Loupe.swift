import ArgumentParser

@main
struct Loupe: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "loupe",
        abstract: "Human-in-the-loop segmentation: a model that improves with every correction.",
        version: version,
        subcommands: [
            InitCommand.self, RunCommand.self, IngestCommand.self, StatusCommand.self, QueueCommand.self, LogCommand.self, HistoryCommand.self,
            ReplayCommand.self, VerifyCommand.self, ReproduceCommand.self, TrainCommand.self, PredictCommand.self, EvalCommand.self,
            SimulateCommand.self, BenchCommand.self,
        ]
    )
}
