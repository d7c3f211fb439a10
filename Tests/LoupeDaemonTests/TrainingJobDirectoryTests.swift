import Foundation
import LoupeLab
import LoupeLedger
import LoupeVision
import Testing

/// A training written as a job directory, run by the real `loupe job run`, and read back.
@Suite struct TrainingJobDirectoryTests {
    /// A lab of three corrected 64x48 images (the third held back) and its first plan, on a
    /// model small enough to train in a second: two epochs of random crops and flips.
    static func lab() throws -> (DaemonHarness, Workspace, TrainingPlan) {
        let harness = try DaemonHarness(settings: """
            {"model": {"channels": [2, 4], "bottleneck": 4},
             "training": {"epochs": 2, "batchSize": 2, "seed": 11, "augment": [{"type": "crop", "size": 32, "count": 2}, {"type": "flip", "horizontal": 0.5, "vertical": 0.5}]}}
            """)
        let lab = try Workspace(at: harness.root)
        for seed in 0..<3 {
            try Data(Synthetic.image(seed: seed)).write(to: URL(fileURLWithPath: "\(lab.inbox)/im\(seed).png"))
            _ = try lab.ingestImage(at: "\(lab.inbox)/im\(seed).png")
            try Data(Synthetic.mask(seed: seed)).write(to: URL(fileURLWithPath: "\(lab.corrections)/im\(seed).png"))
            _ = try lab.ingestCorrection(at: "\(lab.corrections)/im\(seed).png")
        }
        var plan = try lab.planTraining()
        plan.config.budget = .epochs(2)
        return (harness, lab, plan)
    }

    /// `loupe job run DIR` on this process's thread count, so its weights can be compared bit for bit.
    static func run(_ directory: String, cpusPerTask: String = "\(ComputeThreads.count)") throws -> (Int32, String) {
        var environment = ProcessInfo.processInfo.environment
        environment["SLURM_CPUS_PER_TASK"] = cpusPerTask
        return try DaemonHarness.runLoupe(["job", "run", directory], environment: environment)
    }

    static func files(under folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
    }

    static func result(_ directory: String) throws -> TrainingJobResult {
        try JSONDecoder().decode(TrainingJobResult.self, from: Data(contentsOf: URL(fileURLWithPath: "\(directory)/result.json")))
    }

    static func contents(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    struct NotTrained: Error { let outcome: TrainingJob.Outcome }

    static func trained(_ outcome: TrainingJob.Outcome) throws -> TrainingJob.TrainedModel {
        guard case .trained(let trained) = outcome else { throw NotTrained(outcome: outcome) }
        return trained
    }

    static func inode(_ path: String) throws -> UInt64 {
        try (FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
    }

    @Test(arguments: [false, true])
    func aJobRunByTheLoupeBinaryTrainsTheLocalTrainingsWeights(warm: Bool) throws {
        let (harness, lab, cold) = try Self.lab()
        var plan = cold
        if warm {
            plan.warmStart = try Self.trained(lab.trainingJob(cold, current: nil).run()).model
        }
        let directory = "\(harness.root)/jobs/run-1"
        try FileManager.default.createDirectory(atPath: "\(harness.root)/jobs", withIntermediateDirectories: true)
        try lab.writeTrainingJob(plan, into: directory)

        let labelled = plan.training + plan.validation
        let shas = Set(labelled.flatMap { [$0.image, $0.mask] } + (plan.warmStart.map { [$0] } ?? []))
        #expect(shas.count == (warm ? 7 : 6))
        let objects = Set(shas.flatMap { ["objects/\($0.prefix(2))", "objects/\($0.prefix(2))/\($0)"] })
        #expect(Set(Self.files(under: directory)) == objects.union(["job.json", "objects"]))
        #expect(Self.files(under: "\(harness.root)/jobs") .filter { !$0.hasPrefix("run-1") } == [], "no temporary folder is left")
        for sha in shas {
            #expect(try Self.inode("\(directory)/objects/\(sha.prefix(2))/\(sha)") == Self.inode(harness.objects.path(of: sha)), "a hard link")
        }
        let manifest = try JSONDecoder().decode(TrainingJobManifest.self, from: Data(contentsOf: URL(fileURLWithPath: "\(directory)/job.json")))
        #expect(manifest == TrainingJobManifest(plan: plan))
        #expect(manifest.warmStart == plan.warmStart)
        #expect(manifest.validationSet.count == 1)
        #expect(manifest.trainingSet.count == 2)

        let (status, output) = try Self.run(directory)
        #expect(status == 0)
        #expect(output.hasPrefix("model "))
        var fromJob = try Self.trained(lab.readTrainingJobResult(directory, plan: plan, current: nil))
        #expect(harness.objects.contains(fromJob.model), "read back, the model is stored in the lab")
        let trainedHere = try Self.trained(lab.trainingJob(plan, current: nil).run())
        fromJob.milliseconds = trainedHere.milliseconds
        #expect(fromJob == trainedHere)
        #expect(fromJob.epochs == 2)
        #expect(fromJob.validationDice != nil)
        #expect(Self.contents("\(directory)/model.bin") == (try harness.objects.read(trainedHere.model)), "the same weights, bit for bit")
        let result = try Self.result(directory)
        #expect(result.error == nil)
        #expect(result.trained?.threads == ComputeThreads.count)
        #expect(result.trained?.lossCurve.count == 2)
    }

    @Test func writingAJobWhoseObjectTheLabLacksLeavesNoDirectory() throws {
        let (harness, lab, good) = try Self.lab()
        var plan = good
        plan.training[0].mask = String(repeating: "ab", count: 32)
        let directory = "\(harness.root)/run-1"
        #expect(throws: LedgerError.objectMissing(plan.training[0].mask)) { try lab.writeTrainingJob(plan, into: directory) }
        #expect(Self.files(under: harness.root).filter { $0.hasPrefix("run-1") || $0.hasPrefix(".run-1") } == [])
        try lab.writeTrainingJob(good, into: directory)
        #expect(throws: TrainingJobError.directoryExists(directory)) { try lab.writeTrainingJob(good, into: directory) }
    }

    /// Replaced, not written into: the job's objects are hard links to the lab's.
    @Test func aTamperedObjectIsRefusedAndTheRefusalIsTheResult() throws {
        let (harness, lab, plan) = try Self.lab()
        let directory = "\(harness.root)/run-1"
        try lab.writeTrainingJob(plan, into: directory)
        let mask = plan.training[0].mask
        let path = "\(directory)/objects/\(mask.prefix(2))/\(mask)"
        try FileManager.default.removeItem(atPath: path)
        let forged = Synthetic.mask(seed: 5)
        try Data(forged).write(to: URL(fileURLWithPath: path))

        let (status, _) = try Self.run(directory)
        #expect(status == 1)
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/model.bin"))
        let result = try Self.result(directory)
        #expect(result.trained == nil)
        #expect(result.error == TrainingJobError.tamperedObject(mask, actual: ObjectStore.sha256(forged)).description)
        #expect(throws: TrainingJobError.tamperedObject(mask, actual: ObjectStore.sha256(forged))) {
            try lab.readTrainingJobResult(directory, plan: plan, current: nil)
        }
        #expect(try harness.objects.read(mask) == Synthetic.mask(seed: 0), "the lab's mask is untouched")
    }

    @Test func aModelReplacedAfterTheRunOrAnEditedDiceIsRefused() throws {
        let (harness, lab, plan) = try Self.lab()
        let directory = "\(harness.root)/run-1"
        try lab.writeTrainingJob(plan, into: directory)
        #expect(try Self.run(directory).0 == 0)
        let resultPath = "\(directory)/result.json"
        let original = try #require(Self.contents(resultPath))
        let reported = try #require(try JSONDecoder().decode(TrainingJobResult.self, from: Data(original)).trained)

        var weights = try #require(Self.contents("\(directory)/model.bin"))
        weights[weights.count - 1] ^= 1
        try Data(weights).write(to: URL(fileURLWithPath: "\(directory)/model.bin"))
        #expect(throws: TrainingJobError.modelMismatch(reported: reported.model, actual: ObjectStore.sha256(weights))) {
            try lab.readTrainingJobResult(directory, plan: plan, current: nil)
        }
        #expect(!harness.objects.contains(ObjectStore.sha256(weights)))

        weights[weights.count - 1] ^= 1
        try Data(weights).write(to: URL(fileURLWithPath: "\(directory)/model.bin"))
        var edited = try JSONDecoder().decode(TrainingJobResult.self, from: Data(original))
        edited.trained?.validationDice = 0.99
        try JSONEncoder().encode(edited).write(to: URL(fileURLWithPath: resultPath))
        #expect(throws: TrainingJobError.diceMismatch(reported: 0.99, recomputed: reported.validationDice)) {
            try lab.readTrainingJobResult(directory, plan: plan, current: nil)
        }
        edited.trained?.validationDice = try #require(reported.validationDice) + 0.0005
        try JSONEncoder().encode(edited).write(to: URL(fileURLWithPath: resultPath))
        let withinTolerance = try Self.trained(lab.readTrainingJobResult(directory, plan: plan, current: nil))
        #expect(withinTolerance.validationDice == reported.validationDice, "another thread split may move a pixel; the recomputed Dice counts")

        var otherRun = plan
        otherRun.run = 2
        #expect(throws: TrainingJobError.otherPlan(run: 2, differing: ["run"])) {
            try lab.readTrainingJobResult(directory, plan: otherRun, current: nil)
        }
    }

    /// A mask that is no image hashes to its name, so the job starts, and fails in training.
    @Test func aFailedJobsResultCarriesItsErrorAndAJobWithoutAResultIsNotTaken() throws {
        let (harness, lab, good) = try Self.lab()
        var plan = good
        plan.training[0].mask = try harness.objects.put(Array("not an image".utf8))
        let directory = "\(harness.root)/run-1"
        try lab.writeTrainingJob(plan, into: directory)
        #expect(throws: TrainingJobError.noResult(directory)) { try lab.readTrainingJobResult(directory, plan: plan, current: nil) }

        let (status, _) = try Self.run(directory)
        #expect(status == 1)
        let result = try Self.result(directory)
        let error = try #require(result.error)
        #expect(!error.isEmpty)
        #expect(result.trained == nil)
        #expect(try lab.readTrainingJobResult(directory, plan: plan, current: nil) == .failed("the job in \(directory) failed: \(error)"))

        let badThreads = "\(harness.root)/run-2"
        try lab.writeTrainingJob(good, into: badThreads)
        #expect(try Self.run(badThreads, cpusPerTask: "zero").0 == 1)
        let refused = try Self.result(badThreads)
        #expect(refused.error == TrainingJobError.badCPUsPerTask("zero").description)
    }
}

extension DaemonHarness {
    /// The lab's object store, which LoupeLab keeps to itself.
    var objects: ObjectStore { ObjectStore(root: "\(root)/objects") }
}
