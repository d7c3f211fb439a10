import ArgumentParser

struct Loupe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loupe",
        subcommands: [TrainCommand.self, PredictCommand.self, EvalCommand.self, Bench.self])
}

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(subcommands: [BenchTrain.self, BenchInfer.self])
}

Loupe.main()
