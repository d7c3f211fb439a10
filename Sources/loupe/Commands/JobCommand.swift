import ArgumentParser
import Foundation
import LoupeHarness
import LoupeLab

struct JobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "Work a job directory the daemon wrote for a cluster node.",
        subcommands: [JobRunCommand.self, JobPredictCommand.self, JobPlanCommand.self]
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

struct JobPredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict one shard of a sweep directory (SLURM_ARRAY_TASK_ID); writes its masks into out/ and shard-K.json there."
    )

    @Argument(help: "The sweep directory: sweep.json and objects/.")
    var directory: String

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let result = try PredictionSweepWorker.run(
            directory: directory, shard: environment["SLURM_ARRAY_TASK_ID"], cpusPerTask: environment["SLURM_CPUS_PER_TASK"]
        )
        if let error = result.error {
            printError("loupe job predict: \(error)")
            throw ExitCode(1)
        }
        print("shard \(result.shard): \(result.predictions.count) images in \(result.totalMilliseconds) ms")
    }
}

struct JobPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the shards a prediction sweep of IMAGES images gets as a job array, and its time on N nodes."
    )

    @Argument(help: "How many images the sweep predicts.")
    var images: Int

    @Option(help: "Seconds one image takes on one task (measure it with bench/slurm.sh).")
    var secondsPerImage = 0.07

    @Option(help: "Seconds a task takes to start and load the model before its first image.")
    var taskStart = 1.0

    @Option(help: "Tasks a node runs at once (its CPUs / executor.cpusPerTask).")
    var tasksPerNode = 1

    @Option(parsing: .upToNextOption, help: "Node counts to give the time for.")
    var nodes: [Int] = [1, 4, 16, 64]

    func run() throws {
        let plan = SweepShardPlan(images: images)
        print("\(plan.images) images: \(plan.shards) shards of \(plan.shardSize) (at least \(SweepShardPlan.minimumShard) an array task, "
            + "at most \(SweepShardPlan.maximumShards) tasks)")
        var table = BenchTable("nodes", "tasks at once", "waves", "seconds", "minutes")
        for count in nodes {
            let seconds = plan.seconds(nodes: count, tasksPerNode: tasksPerNode, secondsPerImage: secondsPerImage, taskStartSeconds: taskStart)
            let concurrent = count * tasksPerNode
            table.add("\(count)", "\(concurrent)", "\((plan.shards + concurrent - 1) / concurrent)", String(format: "%.0f", seconds), String(format: "%.1f", seconds / 60))
        }
        print(table.render())
    }
}
