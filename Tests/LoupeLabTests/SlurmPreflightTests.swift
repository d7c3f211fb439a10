import Foundation
import Testing
@testable import LoupeLab

/// The checks `loupe run` makes before it starts a lab with executor.kind slurm, against
/// stand-in Slurm commands in a folder of their own: no cluster is needed.
@Suite struct SlurmPreflightTests {
    private let folder = TemporaryFolder()
    private var bin: String { "\(folder.path)/bin" }
    private var jobs: String { "\(folder.path)/jobs" }
    private var binary: String { "\(folder.path)/loupe" }

    init() throws {
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: jobs, withIntermediateDirectories: true)
        try write(binary, "#!/bin/sh\n", mode: 0o755)
        for command in ["sbatch", "squeue", "scancel"] {
            try write("\(bin)/\(command)", "#!/bin/sh\nexit 0\n", mode: 0o755)
        }
        try fakeSinfo("printf 'loupe\\nbatch\\n'")
    }

    private func write(_ path: String, _ text: String, mode: Int) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    private func fakeSinfo(_ body: String) throws {
        try write("\(bin)/sinfo", "#!/bin/sh\n\(body)\n", mode: 0o755)
    }

    private func preflight(partition: String? = nil, answerSeconds: Double = 5) -> SlurmPreflight {
        var settings = SlurmExecutorSettings(binary: binary, jobDirectory: jobs)
        settings.partition = partition
        return SlurmPreflight(settings: settings, searchPath: "/nonexistent:\(bin)", answerSeconds: answerSeconds)
    }

    private func failure(of preflight: SlurmPreflight) -> String {
        let error = #expect(throws: ExecutorUnavailable.self) { try preflight.check() }
        return error?.description ?? "no error"
    }

    @Test func aReachableClusterPasses() throws {
        try preflight(partition: "loupe,batch").check()
        let left = try FileManager.default.contentsOfDirectory(atPath: jobs)
        #expect(left == [], "the write probe is removed")
    }

    @Test func sbatchMissingFromThePathIsNamed() throws {
        try FileManager.default.removeItem(atPath: "\(bin)/sbatch")
        let message = failure(of: preflight())
        #expect(message.contains("executor.kind is slurm but sbatch is not on PATH (/nonexistent:\(bin))"), "\(message)")
    }

    @Test func everyMissingCommandIsNamed() throws {
        let message = failure(of: SlurmPreflight(
            settings: SlurmExecutorSettings(binary: binary, jobDirectory: jobs), searchPath: "/nonexistent"))
        #expect(message.contains("sbatch, squeue, scancel, sinfo are not on PATH (/nonexistent)"), "\(message)")
    }

    @Test func aMissingJobDirectoryIsNamed() throws {
        try FileManager.default.removeItem(atPath: jobs)
        let message = failure(of: preflight())
        #expect(message.contains("executor.jobDirectory \(jobs) does not exist"), "\(message)")
    }

    @Test func aJobDirectoryThatIsAFileIsRefused() throws {
        try FileManager.default.removeItem(atPath: jobs)
        try write(jobs, "", mode: 0o644)
        let message = failure(of: preflight())
        #expect(message.contains("executor.jobDirectory \(jobs) does not exist or is not a folder"), "\(message)")
    }

    @Test func aBinaryThatCannotRunIsNamed() throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: binary)
        #expect(failure(of: preflight()).contains("executor.binary \(binary) is not an executable file"))
        try FileManager.default.removeItem(atPath: binary)
        #expect(failure(of: preflight()).contains("executor.binary \(binary) does not exist on this machine"))
    }

    @Test func aControllerThatDoesNotAnswerIsGivenUpOnAtTheDeadline() throws {
        try fakeSinfo("exec sleep 30")
        let started = Date()
        let message = failure(of: preflight(answerSeconds: 0.5))
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(message.contains("the Slurm controller did not answer \(bin)/sinfo within 0.5 s"), "\(message)")
    }

    @Test func aControllerThatRefusesIsQuoted() throws {
        try fakeSinfo("echo 'sinfo: error: Unable to contact slurm controller (connect failure)' >&2; exit 1")
        let message = failure(of: preflight())
        #expect(message.contains("exited with status 1: sinfo: error: Unable to contact slurm controller (connect failure)"), "\(message)")
    }

    @Test func anUnknownPartitionIsNamedWithTheOnesThereAre() throws {
        let message = failure(of: preflight(partition: "loupe,gpu"))
        #expect(message.contains("executor.partition 'loupe,gpu' is not a partition of this cluster (it has: loupe, batch)"), "\(message)")
    }
}
