import ArgumentParser
import Foundation
import LoupeLab

struct JobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "Work a job directory the daemon wrote for a cluster node.",
        subcommands: [JobRunCommand.self]
    )
}

struct JobRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train the run a job directory describes, from the directory alone; writes model.bin and result.json there."
    )

    @Argument(help: "The job directory: job.json and objects/.")
    var directory: String

    func run() throws {
        let result = try TrainingJobWorker.run(
            directory: directory, cpusPerTask: ProcessInfo.processInfo.environment["SLURM_CPUS_PER_TASK"]
        ) { progress in
            if progress.isEpochEnd { printError("epoch \(progress.epoch)/\(progress.plannedEpochs ?? 0): loss \(progress.loss)") }
        }
        if let error = result.error {
            printError("loupe job run: \(error)")
            throw ExitCode(1)
        }
        if let trained = result.trained {
            print("model \(trained.model): \(trained.epochs) epochs on \(trained.threads) thread\(trained.threads == 1 ? "" : "s"), "
                + "validation Dice \(trained.validationDice.map { String(format: "%.4f", $0) } ?? "-") "
                + "on \(trained.validationImages) held-back, \(result.totalMilliseconds) ms")
        }
    }
}
