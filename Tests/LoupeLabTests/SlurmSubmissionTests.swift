import Foundation
import LoupeLedger
import Testing
@testable import LoupeLab

/// A daemon killed after `sbatch` answered but before the run's TrainingStarted was appended
/// plans the same training again at its next start: the job directory it left, and the job,
/// are taken as they are, never submitted twice; a directory of other inputs is cancelled and
/// moved aside. Slurm's commands are stand-ins that log their calls.
@Suite struct SlurmSubmissionTests {
    private let folder = TemporaryFolder()
    private var bin: String { "\(folder.path)/bin" }

    init() throws {
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try standIn("sbatch", #"""
            d="$(dirname "$0")"; echo "$@" >> "$d/sbatch.calls"
            n="$(cat "$d/next" 2>/dev/null || echo 7)"; echo $((n + 1)) > "$d/next"; echo "$n"
            """#, in: bin)
        // squeue answers with what `queued` holds, if anything: a job's id for --name, a state for --jobs.
        try standIn("squeue", #"cat "$(dirname "$0")/queued" 2>/dev/null; exit 0"#, in: bin)
        try standIn("scancel", #"echo "$@" >> "$(dirname "$0")/scancel.calls""#, in: bin)
    }

    private func cluster(_ lab: Workspace) -> SlurmCluster {
        SlurmCluster(
            settings: SlurmExecutorSettings(binary: "/shared/loupe", jobDirectory: "\(folder.path)/jobs"),
            commands: SlurmCommands(searchPath: bin, timeoutSeconds: 5), objects: lab.objects, labKey: "abc",
            predictionsFolder: lab.predictions, writeProbabilityMaps: false
        )
    }

    private func calls(_ command: String) -> [String] {
        ((try? String(contentsOfFile: "\(bin)/\(command).calls", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    private func queue(_ job: String?) throws {
        if let job { try Data(job.utf8).write(to: URL(fileURLWithPath: "\(bin)/queued")) } else { try? FileManager.default.removeItem(atPath: "\(bin)/queued") }
    }

    @Test func aJobSubmittedButNotRecordedIsAdoptedWithItsInputsCutOff() throws {
        let (lab, _) = try TrainingPlanTests.lab(images: 3, corrected: 3)
        let plan = try lab.planTraining()
        let submitted = try cluster(lab).submit(plan)
        #expect(submitted.slurmJob == "7")
        #expect(submitted.directory == "\(folder.path)/jobs/loupe-abc/run-1")
        #expect(calls("sbatch").count == 1)

        // The log moved on (DaemonStarted and more) before the same training was planned again.
        var again = plan
        again.upToSeq += 3
        try queue("7")
        let queued = try cluster(lab).submit(again)
        #expect(queued.slurmJob == "7")
        #expect(queued.plan.upToSeq == plan.upToSeq, "the job's own cut-off, which its job.json holds")
        #expect(calls("sbatch").count == 1, "the job in the queue is not submitted again")

        try queue(nil)
        FileManager.default.createFile(atPath: "\(submitted.directory)/slurm-7.out", contents: nil)
        #expect(try cluster(lab).submit(again).slurmJob == "7", "a job that ran left its log's name")
        #expect(calls("sbatch").count == 1)

        try FileManager.default.removeItem(atPath: "\(submitted.directory)/slurm-7.out")
        #expect(try cluster(lab).submit(again).plan == plan, "a directory whose job never reached Slurm is submitted as it is")
        #expect(calls("sbatch").count == 2)
        #expect(calls("scancel").isEmpty)
    }

    @Test func aDirectoryOfOtherInputsIsCancelledAndMovedAside() throws {
        let (lab, _) = try TrainingPlanTests.lab(images: 4, corrected: 4)
        var plan = try lab.planTraining()
        let first = try cluster(lab).submit(plan)
        try queue("7")
        plan.training.removeLast()
        let second = try cluster(lab).submit(plan)
        #expect(calls("scancel") == ["7"])
        #expect(calls("sbatch").count == 2)
        #expect(second.directory == first.directory)
        #expect(try TrainingJobDirectory(path: second.directory).manifest() == TrainingJobManifest(plan: plan))
        let left = try FileManager.default.contentsOfDirectory(atPath: "\(folder.path)/jobs/loupe-abc")
        #expect(left.count == 2 && left.contains { $0.hasPrefix("run-1.replaced-") }, "\(left)")
    }

    @Test func theSweepsOfModelsThatNoLongerServeAreCancelledOnce() throws {
        let (lab, shas) = try TrainingPlanTests.lab(images: 3, corrected: 0)
        let old = try cluster(lab).submitSweep(model: shas[0], images: [shas[1], shas[2]])
        let serving = try cluster(lab).submitSweep(model: shas[1], images: [shas[0], shas[2]])
        #expect([old.slurmJob, serving.slurmJob] == ["7", "8"])
        #expect(calls("sbatch").last?.contains("--array=0-0") == true)
        try queue("PENDING")
        #expect(try cluster(lab).cancelStaleSweeps(serving: shas[1]) == ["7"])
        #expect(try cluster(lab).cancelStaleSweeps(serving: shas[1]) == [], "each is asked about once")
        #expect(calls("scancel") == ["7"])
        #expect(try cluster(lab).submitSweep(model: shas[1], images: []) == serving, "the serving model's sweep is adopted")
        #expect(calls("sbatch").count == 2)
    }

    /// Killed after sbatch answered but before the array's id was written down.
    @Test func aSweepSubmittedButNotRecordedIsFoundByItsName() throws {
        let (lab, shas) = try TrainingPlanTests.lab(images: 3, corrected: 0)
        let sweep = try cluster(lab).submitSweep(model: shas[0], images: [shas[1], shas[2]])
        try FileManager.default.removeItem(atPath: "\(sweep.directory)/submission.json")
        try queue("7")
        #expect(try cluster(lab).submitSweep(model: shas[0], images: [shas[1]]) == sweep)
        #expect(calls("sbatch").count == 1)
        #expect(FileManager.default.fileExists(atPath: "\(sweep.directory)/submission.json"), "written down now")

        try FileManager.default.removeItem(atPath: "\(sweep.directory)/submission.json")
        try queue(nil)
        let again = try cluster(lab).submitSweep(model: shas[0], images: [shas[1]])
        #expect(again.slurmJob == "8", "an array that never reached Slurm is submitted anew")
        #expect(again.manifest.images == [shas[1]])
        let aside = try FileManager.default.contentsOfDirectory(atPath: "\(folder.path)/jobs/loupe-abc").filter { $0.contains(".replaced-") }
        #expect(aside.count == 1, "the unsubmitted directory is moved aside: \(aside)")
    }
}
