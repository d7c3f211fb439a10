import Foundation
import LoupeLedger
import Testing
@testable import LoupeLab

/// The pieces of the Slurm executor that read what the cluster says and what a node wrote:
/// Slurm's states, its commands' answers, and a job directory's files, hostile ones included.
@Suite struct SlurmJobTests {
    private let folder = TemporaryFolder()
    private var bin: String { "\(folder.path)/bin" }

    init() throws {
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    }

    private func command(_ name: String, _ body: String) throws {
        try standIn(name, body, in: bin)
    }

    private var commands: SlurmCommands { SlurmCommands(searchPath: bin, timeoutSeconds: 5) }

    @Test func slurmsStatesAreSortedByWhatTheDaemonDoes() {
        #expect(SlurmJobState(slurm: "PENDING\n") == .queued("PENDING"))
        #expect(SlurmJobState(slurm: "REQUEUED") == .queued("REQUEUED"))
        #expect(SlurmJobState(slurm: "RUNNING") == .running("RUNNING"))
        #expect(SlurmJobState(slurm: "COMPLETING") == .running("COMPLETING"))
        #expect(SlurmJobState(slurm: "SUSPENDED") == .running("SUSPENDED"))
        #expect(SlurmJobState(slurm: "COMPLETED") == .completed)
        #expect(SlurmJobState(slurm: "CANCELLED by 1000") == .ended("CANCELLED"))
        #expect(SlurmJobState(slurm: "cancelled+") == .ended("CANCELLED"))
        for word in ["FAILED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE"] {
            #expect(SlurmJobState(slurm: word) == .ended(word))
        }
        #expect(SlurmJobState(slurm: "SOMETHING_NEW") == .running("SOMETHING_NEW"), "left to the time limit, not called failed")
        #expect(SlurmJobState(slurm: " \n") == nil)
    }

    @Test func sbatchsAnswerIsAJobIdOrAnError() throws {
        try command("sbatch", "echo '4242;cluster-a'")
        #expect(try commands.submit([]) == "4242")
        try command("sbatch", "echo 'Submitted batch job 7'")
        #expect(throws: SlurmError.unexpectedAnswer("sbatch", "Submitted batch job 7")) { try commands.submit([]) }
        try command("sbatch", "echo 'sbatch: error: invalid partition specified: gpu' >&2; exit 1")
        #expect(throws: SlurmError.failed("sbatch", status: 1, said: "sbatch: error: invalid partition specified: gpu")) { try commands.submit([]) }
        try command("sbatch", "sleep 30")
        #expect(throws: SlurmError.timedOut("sbatch", seconds: 0.5)) {
            try SlurmCommands(searchPath: bin, timeoutSeconds: 0.5).submit([])
        }
        #expect(throws: SlurmError.commandMissing("squeue", searchPath: bin)) { try commands.state(of: "1") }
    }

    @Test func aJobSqueueForgotIsUnknownUnlessSacctKnowsIt() throws {
        try command("squeue", "echo 'slurm_load_jobs error: Invalid job id specified' >&2; exit 1")
        #expect(try commands.state(of: "12") == nil)
        try command("sacct", "echo 'TIMEOUT'")
        #expect(try commands.state(of: "12") == .ended("TIMEOUT"))
        try command("squeue", "echo 'slurm_load_jobs error: Unable to contact slurm controller' >&2; exit 1")
        #expect(throws: SlurmError.failed("squeue", status: 1, said: "slurm_load_jobs error: Unable to contact slurm controller")) {
            try commands.state(of: "12")
        }
        try command("squeue", "echo 'RUNNING'")
        #expect(try commands.state(of: "12") == .running("RUNNING"))
    }

    @Test func theJobsSbatchArgumentsQuoteItsPathsAndPutTheLabsFirst() throws {
        var settings = SlurmExecutorSettings(binary: "/shared/it's/loupe", jobDirectory: "/shared/jobs")
        settings.partition = "loupe"
        settings.sbatchArguments = ["--account=eye-lab"]
        settings.cpusPerTask = 4
        let cluster = SlurmCluster(
            settings: settings, commands: commands, objects: ObjectStore(root: folder.path), labKey: "abc",
            predictionsFolder: folder.path, writeProbabilityMaps: false
        )
        #expect(cluster.directory(run: 3) == "/shared/jobs/loupe-abc/run-3")
        #expect(cluster.trainingArguments(run: 3) == [
            "--account=eye-lab", "--job-name=loupe-abc-run-3", "--output=/shared/jobs/loupe-abc/run-3/slurm-%j.out",
            "--cpus-per-task=4", "--time=1:00:00", "--partition=loupe",
            #"--wrap=exec '/shared/it'\''s/loupe' job run '/shared/jobs/loupe-abc/run-3'"#,
        ])
    }

    @Test func aJobsFilesAreReadAsHostileOnes() throws {
        let path = "\(folder.path)/result.json"
        try Data(repeating: 0x61, count: 100).write(to: URL(fileURLWithPath: path))
        #expect(try JobFile.contents(path, limit: 100).count == 100)
        #expect(throws: JobFileError.tooLarge(path, bytes: 100, limit: 99)) { try JobFile.contents(path, limit: 99) }
        let link = "\(folder.path)/model.bin"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/zero")
        #expect(throws: JobFileError.notARegularFile(link)) { try JobFile.contents(link, limit: 1 << 20) }
        #expect(throws: JobFileError.notARegularFile(folder.path)) { try JobFile.contents(folder.path, limit: 1 << 20) }
        #expect(throws: JobFileError.missing("\(folder.path)/none")) { try JobFile.contents("\(folder.path)/none", limit: 1) }
        #expect(JobFile.tail(link) == nil, "a log that is a link is not followed")
    }

    @Test func onlyTheEndOfAHugeLogIsRead() throws {
        let path = "\(folder.path)/slurm-9.out"
        var text = String(repeating: "epoch 1/1: loss 0.5\n", count: 200_000)
        text += "slurmstepd: error: *** JOB 9 ON node1 CANCELLED AT 2026-12-05T08:00:00 DUE TO TIME LIMIT ***\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let tail = try #require(JobFile.tail(path, maxBytes: 200))
        #expect(tail.hasSuffix("DUE TO TIME LIMIT ***"))
        #expect(tail.utf8.count <= 200)
        #expect(tail.hasPrefix("epoch 1/1") || tail.hasPrefix("slurmstepd"), "no cut line at the start: \(tail)")
    }

    @Test(arguments: [
        ("", "result.json"), ("{\"formatVersion\": 1, \"totalMill", "result.json"), ("[1, 2]", "result.json"),
        ("{\"formatVersion\": \"one\"}", "result.json"),
    ])
    func aTruncatedOrGarbledResultIsRefusedByName(text: String, file: String) throws {
        let job = TrainingJobDirectory(path: folder.path)
        try Data(text.utf8).write(to: URL(fileURLWithPath: job.resultPath))
        do {
            _ = try job.result()
            Issue.record("a garbled \(file) was read")
        } catch let error as TrainingJobError {
            guard case .unreadable(let named, let why) = error else { throw error }
            #expect(named == file)
            #expect(!why.isEmpty)
            #expect(error.description.hasPrefix("result.json is not what loupe writes (truncated or garbled?): "))
        }
    }

    @Test func aJobDirectoryNamesTheJobsThatRanOnIt() throws {
        let job = TrainingJobDirectory(path: folder.path)
        for name in ["slurm-99.out", "slurm-100.out", "slurm-x.out", "slurm-.out", "job.json"] {
            FileManager.default.createFile(atPath: "\(folder.path)/\(name)", contents: nil)
        }
        #expect(job.jobsThatRan() == ["99", "100"])
    }
}
