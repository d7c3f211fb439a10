import Foundation

/// What `loupe run` checks before it starts with `executor.kind` slurm, so a lab that cannot
/// reach its cluster refuses to start with the reason instead of queueing jobs nobody runs:
/// the binary and the job directory, Slurm's commands on the search path, and a controller
/// that answers within a few seconds.
///
///     try SlurmPreflight(settings: slurm).check()
package struct SlurmPreflight {
    package let settings: SlurmExecutorSettings
    /// Where Slurm's commands are looked for, in `PATH`'s form.
    package let searchPath: String
    /// How long the controller may take to answer `sinfo`.
    package let answerSeconds: Double

    /// The commands the executor submits, follows and cancels jobs with, and asks the controller through.
    static let commands = ["sbatch", "squeue", "scancel", "sinfo"]

    package init(
        settings: SlurmExecutorSettings, searchPath: String = ProcessInfo.processInfo.environment["PATH"] ?? "",
        answerSeconds: Double = 5
    ) {
        self.settings = settings
        self.searchPath = searchPath
        self.answerSeconds = answerSeconds
    }

    /// Throws `ExecutorUnavailable` naming the first problem found and the key to look at.
    package func check() throws {
        try checkBinary()
        try checkJobDirectory()
        let found = try findCommands()
        let partitions = try askController(sinfo: found["sinfo"]!)
        try checkPartition(among: partitions)
    }

    private func checkBinary() throws {
        let path = settings.binary
        guard FileManager.default.fileExists(atPath: path) else {
            throw ExecutorUnavailable("executor.binary \(path) does not exist on this machine; the nodes run it from the same "
                + "path, on a filesystem they share with it")
        }
        guard FileManager.default.isExecutableFile(atPath: path), !Self.isDirectory(path) else {
            throw ExecutorUnavailable("executor.binary \(path) is not an executable file")
        }
    }

    /// Written to, not just looked at: a read-only or root-squashed share passes every permission check.
    private func checkJobDirectory() throws {
        let path = settings.jobDirectory
        guard Self.isDirectory(path) else {
            throw ExecutorUnavailable("executor.jobDirectory \(path) does not exist or is not a folder; create it on a "
                + "filesystem the nodes share")
        }
        let probe = "\(path)/.loupe-preflight-\(getpid())"
        guard FileManager.default.createFile(atPath: probe, contents: Data()) else {
            throw ExecutorUnavailable("executor.jobDirectory \(path) is not writable by this user")
        }
        try? FileManager.default.removeItem(atPath: probe)
    }

    private func findCommands() throws -> [String: String] {
        var found: [String: String] = [:]
        for command in Self.commands {
            found[command] = SlurmCommands.locate(command, in: searchPath)
        }
        let missing = Self.commands.filter { found[$0] == nil }
        guard missing.isEmpty else {
            throw ExecutorUnavailable("executor.kind is slurm but \(missing.joined(separator: ", ")) "
                + "\(missing.count == 1 ? "is" : "are") not on PATH (\(searchPath)); install Slurm's commands "
                + "(Debian: slurm-client) or set executor.kind to local")
        }
        return found
    }

    /// The cluster's partitions, from `sinfo`: an answer proves the controller is up and
    /// reachable with this machine's munge key.
    private func askController(sinfo: String) throws -> [String] {
        let command = BoundedCommand(executable: sinfo, arguments: ["--noheader", "--format=%R"], timeoutSeconds: answerSeconds)
        switch try command.run() {
        case .timedOut:
            throw ExecutorUnavailable("executor.kind is slurm but the Slurm controller did not answer \(sinfo) within "
                + "\(answerSeconds) s; is slurmctld running and reachable from this machine?")
        case .exited(let status, _, let errorOutput) where status != 0:
            let said = errorOutput.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " / ")
            throw ExecutorUnavailable("executor.kind is slurm but the Slurm controller cannot be reached: \(sinfo) "
                + "exited with status \(status)\(said.isEmpty ? "" : ": \(said)")")
        case .exited(_, let output, _):
            return output.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    /// `--partition` takes a comma-separated list, so every name in it must exist.
    private func checkPartition(among partitions: [String]) throws {
        guard let partition = settings.partition else { return }
        let unknown = partition.split(separator: ",").map(String.init).filter { !partitions.contains($0) }
        guard unknown.isEmpty else {
            throw ExecutorUnavailable("executor.partition '\(partition)' is not a partition of this cluster "
                + "(it has: \(partitions.isEmpty ? "none" : partitions.joined(separator: ", ")))")
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
