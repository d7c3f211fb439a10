import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print a table.",
        subcommands: [
            BenchLedger.self, BenchTrain.self, BenchInfer.self, BenchLayers.self, BenchDaemon.self, BenchHostile.self,
            BenchHTTP.self, BenchScale.self, BenchSoak.self, BenchHint.self,
        ]
    )
}
