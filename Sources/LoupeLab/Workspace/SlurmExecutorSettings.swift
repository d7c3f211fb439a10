import LoupeVision

/// `executor` with kind `slurm`: how the lab's jobs are handed to `sbatch`. The binary and the
/// job directory are paths on a filesystem the daemon's machine and the nodes share, so the
/// daemon writes a job where a node can read it and a node runs the same build of Loupe.
package struct SlurmExecutorSettings: Codable, Sendable, Equatable {
    /// `--partition`; nil leaves the choice to the cluster's default partition.
    package var partition: String?
    /// `--cpus-per-task`: the threads a training or a shard of a sweep computes with.
    package var cpusPerTask = 1
    /// `--time`: Slurm ends a job that runs longer, and the daemon records it as timed out.
    package var timeLimit = SlurmTimeLimit(seconds: 3600)
    /// The `loupe` executable, by the absolute path the nodes run it from.
    package var binary: String
    /// Where the daemon writes each job's inputs and the node writes its result.
    package var jobDirectory: String
    /// Passed to `sbatch` as they are (an account, a QOS, a constraint), before Loupe's own.
    package var sbatchArguments: [String] = []
    /// How often the daemon asks Slurm how its jobs stand; each look runs squeue once per job.
    package var pollSeconds = 10.0

    package init(binary: String, jobDirectory: String) {
        self.binary = binary
        self.jobDirectory = jobDirectory
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, partition, cpusPerTask, timeLimit, binary, jobDirectory, sbatchArguments, pollSeconds
    }

    /// The options that have a key of their own: set twice, which one wins would be sbatch's secret.
    private static let optionsWithAKey = [
        (long: "--partition", short: "-p", key: "executor.partition"),
        (long: "--cpus-per-task", short: "-c", key: "executor.cpusPerTask"),
        (long: "--time", short: "-t", key: "executor.timeLimit"),
    ]

    package init(from decoder: Decoder) throws {
        try UnknownKeys.refuse(in: decoder, allowed: CodingKeys.self, context: "executor")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        partition = try container.decodeIfPresent(String.self, forKey: .partition)
        cpusPerTask = try container.decodeIfPresent(Int.self, forKey: .cpusPerTask) ?? cpusPerTask
        timeLimit = try container.decodeIfPresent(SlurmTimeLimit.self, forKey: .timeLimit) ?? timeLimit
        binary = try Self.absolutePath(container, .binary, "the loupe binary's path on the nodes")
        jobDirectory = try Self.absolutePath(container, .jobDirectory, "a folder that the daemon's machine and the nodes share")
        sbatchArguments = try container.decodeIfPresent([String].self, forKey: .sbatchArguments) ?? sbatchArguments
        pollSeconds = try container.decodeIfPresent(Double.self, forKey: .pollSeconds) ?? pollSeconds
        if let partition, partition.isEmpty || partition.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw SettingsError("executor.partition must be a partition name without spaces, got '\(partition)'")
        }
        try Settings.check(cpusPerTask, within: 1...1024, "executor.cpusPerTask")
        try Settings.check(timeLimit, within: SlurmTimeLimit.shortest...SlurmTimeLimit.longest, "executor.timeLimit")
        try Self.checkSbatchArguments(sbatchArguments)
        try Settings.check(pollSeconds, within: 0.1...3600, "executor.pollSeconds")
    }

    package func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ExecutorSettings.Kind.slurm.rawValue, forKey: .kind)
        try container.encodeIfPresent(partition, forKey: .partition)
        try container.encode(cpusPerTask, forKey: .cpusPerTask)
        try container.encode(timeLimit, forKey: .timeLimit)
        try container.encode(binary, forKey: .binary)
        try container.encode(jobDirectory, forKey: .jobDirectory)
        try container.encode(sbatchArguments, forKey: .sbatchArguments)
        try container.encode(pollSeconds, forKey: .pollSeconds)
    }

    private static func absolutePath(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, _ meaning: String) throws -> String {
        guard let path = try container.decodeIfPresent(String.self, forKey: key) else {
            throw SettingsError("executor.\(key.stringValue) is required with executor.kind slurm: \(meaning)")
        }
        guard path.hasPrefix("/") else {
            throw SettingsError("executor.\(key.stringValue) must be an absolute path (\(meaning)), got '\(path)'")
        }
        return path
    }

    private static func checkSbatchArguments(_ arguments: [String]) throws {
        if arguments.contains(where: \.isEmpty) {
            throw SettingsError("executor.sbatchArguments must not hold an empty argument")
        }
        for argument in arguments {
            for option in optionsWithAKey
            where argument == option.long || argument.hasPrefix(option.long + "=")
                || (argument.hasPrefix(option.short) && !argument.hasPrefix("--")) {
                throw SettingsError("executor.sbatchArguments must not set \(option.long): \(option.key) does, got '\(argument)'")
            }
        }
    }
}
