import Foundation
import Testing
@testable import LoupeLab

/// `executor` in loupe.json: local unless the lab says otherwise, every Slurm value checked
/// when the file is read, and labs from before the key exist keep their settings hash.
@Suite struct ExecutorSettingsTests {
    private func load(_ json: String) throws -> Settings {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/loupe.json"
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return try Settings.load(from: path)
    }

    @Test func aLabWithoutTheKeyRunsLocally() throws {
        #expect(Settings().executor == .local)
        #expect(try load("{}").executor == .local)
        #expect(try load(#"{"executor": {"kind": "local"}}"#).executor == .local)
        #expect(try load(#"{"executor": {}}"#).executor == .local)
    }

    @Test func slurmKeysTakeTheirDefaults() throws {
        let settings = try load(#"{"executor": {"kind": "slurm", "binary": "/shared/loupe", "jobDirectory": "/shared/jobs"}}"#)
        let expected = SlurmExecutorSettings(binary: "/shared/loupe", jobDirectory: "/shared/jobs")
        #expect(settings.executor == .slurm(expected))
        #expect(expected.partition == nil)
        #expect(expected.cpusPerTask == 1)
        #expect(expected.timeLimit.seconds == 3600)
        #expect(expected.sbatchArguments == [])
    }

    @Test func everySlurmKeyIsRead() throws {
        let settings = try load(#"""
            {"executor": {"kind": "slurm", "partition": "gpu,batch", "cpusPerTask": 8, "timeLimit": "1-02:30:00",
             "binary": "/shared/loupe", "jobDirectory": "/shared/jobs", "sbatchArguments": ["--account=eye", "--qos", "low"]}}
            """#)
        var expected = SlurmExecutorSettings(binary: "/shared/loupe", jobDirectory: "/shared/jobs")
        expected.partition = "gpu,batch"
        expected.cpusPerTask = 8
        expected.timeLimit = SlurmTimeLimit(seconds: 86_400 + 2 * 3600 + 30 * 60)
        expected.sbatchArguments = ["--account=eye", "--qos", "low"]
        #expect(settings.executor == .slurm(expected))
    }

    /// The settings hash in DaemonStarted is the SHA-256 of this encoding: a lab that never
    /// wrote the key, or wrote kind local, must encode to the same bytes as before executors.
    @Test func localIsEncodedAsNoKeyAndSlurmRoundTrips() throws {
        let plain = try Settings().encoded()
        #expect(!String(decoding: plain, as: UTF8.self).contains("executor"))
        #expect(try load(#"{"executor": {"kind": "local"}}"#).encoded() == plain)

        var slurm = SlurmExecutorSettings(binary: "/shared/loupe", jobDirectory: "/shared/jobs")
        slurm.partition = "loupe"
        slurm.timeLimit = SlurmTimeLimit(seconds: 2 * 86_400 + 61)
        var settings = Settings()
        settings.executor = .slurm(slurm)
        let reloaded = try load(String(decoding: try settings.encoded(), as: UTF8.self))
        #expect(reloaded == settings)
        #expect(String(decoding: try settings.encoded(), as: UTF8.self).contains(#""timeLimit" : "2-0:01:01""#))
    }

    @Test(arguments: [
        ("90", 90 * 60), ("5:30", 5 * 60 + 30), ("2:00:00", 7200), ("1-0", 86_400), ("1-2", 93_600),
        ("1-2:03", 93_780), ("1-2:03:04", 93_784),
    ])
    func slurmTimeFormsAreRead(_ text: String, _ seconds: Int) {
        #expect(SlurmTimeLimit(slurm: text)?.seconds == seconds)
    }

    private static let slurm = #""kind": "slurm", "binary": "/b/loupe", "jobDirectory": "/jobs""#

    @Test(arguments: [
        (#"{"executor": {"kind": "pbs"}}"#, "executor.kind 'pbs' is not one of local, slurm"),
        (#"{"executor": {"kind": "local", "partition": "loupe"}}"#, "executor.partition applies only with executor.kind slurm"),
        (#"{"executor": {"kind": "local", "nodes": 2}}"#, "executor.nodes"),
        (#"{"executor": {\#(slurm), "nodes": 2}}"#, "executor.nodes"),
        (#"{"executor": {\#(slurm), "cpusPerTask": 0}}"#, "executor.cpusPerTask must be between 1 and 1024, got 0"),
        (#"{"executor": {\#(slurm), "cpusPerTask": 1025}}"#, "executor.cpusPerTask must be between 1 and 1024, got 1025"),
        (#"{"executor": {\#(slurm), "timeLimit": "an hour"}}"#, "executor.timeLimit must be MINUTES"),
        (#"{"executor": {\#(slurm), "timeLimit": "1:75"}}"#, "executor.timeLimit must be MINUTES"),
        (#"{"executor": {\#(slurm), "timeLimit": "-1"}}"#, "executor.timeLimit must be MINUTES"),
        (#"{"executor": {\#(slurm), "timeLimit": "0"}}"#, "executor.timeLimit must be between 0:01:00 and 365-0:00:00, got 0:00:00"),
        (#"{"executor": {\#(slurm), "timeLimit": "366-0"}}"#, "executor.timeLimit must be between 0:01:00 and 365-0:00:00, got 366-0:00:00"),
        (#"{"executor": {\#(slurm), "partition": ""}}"#, "executor.partition must be a partition name without spaces, got ''"),
        (#"{"executor": {\#(slurm), "partition": "a b"}}"#, "executor.partition must be a partition name without spaces, got 'a b'"),
        (#"{"executor": {"kind": "slurm", "jobDirectory": "/jobs"}}"#, "executor.binary is required with executor.kind slurm"),
        (#"{"executor": {"kind": "slurm", "binary": "loupe", "jobDirectory": "/jobs"}}"#, "executor.binary must be an absolute path"),
        (#"{"executor": {"kind": "slurm", "binary": "/b/loupe"}}"#, "executor.jobDirectory is required with executor.kind slurm"),
        (#"{"executor": {"kind": "slurm", "binary": "/b/loupe", "jobDirectory": "jobs"}}"#, "executor.jobDirectory must be an absolute path"),
        (#"{"executor": {\#(slurm), "sbatchArguments": [""]}}"#, "executor.sbatchArguments must not hold an empty argument"),
        (#"{"executor": {\#(slurm), "sbatchArguments": ["--time=5"]}}"#, "executor.sbatchArguments must not set --time: executor.timeLimit does"),
        (#"{"executor": {\#(slurm), "sbatchArguments": ["-p", "gpu"]}}"#, "executor.sbatchArguments must not set --partition: executor.partition does"),
        (#"{"executor": {\#(slurm), "sbatchArguments": ["-c8"]}}"#, "executor.sbatchArguments must not set --cpus-per-task: executor.cpusPerTask does"),
        (#"{"executor": {\#(slurm), "sbatchArguments": "--qos=low"}}"#, "executor.sbatchArguments"),
    ])
    func badValuesAreRefusedByKey(_ json: String, _ message: String) throws {
        let error = #expect(throws: SettingsError.self) { try load(json) }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "no error")")
    }
}
