import Foundation
import LoupeLab
import LoupeLedger
import Testing

/// Trainings with executor.kind slurm against a real `loupe run`, Slurm's commands played by
/// `FakeSlurm`: the job is the real `loupe job run` on the lab's job directory.
@Suite(.serialized) struct SlurmTrainingTests {
    /// `retrain`: more `retrain` keys, each after a comma.
    static func lab(_ slurm: FakeSlurm, binary: String = DaemonHarness.binary, retrain: String = "") throws -> DaemonHarness {
        let settings = DaemonHarness.tinySettings
            .replacingOccurrences(of: #""watch":"#, with: #""executor": \#(slurm.executor(binary: binary)), "watch":"#)
            .replacingOccurrences(of: #""minNewCorrections": 2}"#, with: #""minNewCorrections": 2\#(retrain)}"#)
        return try DaemonHarness(settings: settings)
    }

    static func dropCorrected(_ lab: DaemonHarness, seeds: ClosedRange<Int>) throws {
        for seed in seeds {
            try lab.drop(Synthetic.image(seed: seed), as: "im\(seed).png", into: "inbox")
            try lab.drop(Synthetic.mask(seed: seed), as: "im\(seed).png", into: "corrections")
        }
    }

    static func started(_ lab: DaemonHarness) throws -> [TrainingStarted] {
        try lab.ledger.events(type: .trainingStarted).compactMap {
            if case .trainingStarted(let e) = try $0.decoded() { return e }
            return nil
        }
    }

    static func endings(_ lab: DaemonHarness) throws -> [TrainingEnded] {
        try lab.ledger.events().compactMap {
            switch try $0.decoded() {
            case .trainingFailed(let e), .trainingAborted(let e): return e
            default: return nil
            }
        }
    }

    @Test func aTrainingRunsAsASlurmJobAndItsIdIsInTheLogAndTheHistory() throws {
        let slurm = try FakeSlurm()
        let lab = try Self.lab(slurm)
        try lab.start(environment: ["PATH": slurm.path])
        try Self.dropCorrected(lab, seeds: 1...2)
        try lab.waitFor("the model from Slurm job 100") { try $0.events(type: .modelPromoted).count == 1 }
        #expect(try lab.signal(SIGTERM) == 0)

        let started = try Self.started(lab)
        #expect(started.count == 1)
        #expect(started.first?.slurmJob == "100")
        #expect(started.first?.executor == "slurm")
        #expect(started.first?.threads == 2)
        let directory = try #require(started.first?.jobDirectory)
        #expect(directory.hasPrefix(slurm.jobDirectory + "/loupe-") && directory.hasSuffix("/run-1"))
        #expect(FileManager.default.fileExists(atPath: "\(directory)/slurm-100.out"))
        #expect(slurm.submissions.count == 1)
        let submission = try #require(slurm.submissions.first)
        #expect(submission.contains("--cpus-per-task=2 --time=1:00:00"), "\(submission)")
        #expect(submission.contains("--wrap=exec '\(DaemonHarness.binary)' job run '\(directory)'"), "\(submission)")
        #expect(try lab.types().filter { $0.hasPrefix("Training") || $0.hasPrefix("Model") } == ["TrainingStarted", "ModelTrained", "ModelPromoted"])

        let (_, log) = try DaemonHarness.runLoupe(["log", "--lab", lab.root, "--json"])
        #expect(log.contains(#""slurmJob":"100""#), "\(log)")
        let (_, history) = try DaemonHarness.runLoupe(["history", "--lab", lab.root, "im1"])
        #expect(history.contains("TrainingStarted") && history.contains("on Slurm job 100"), "\(history)")
        #expect(try DaemonHarness.runLoupe(["verify", "--lab", lab.root]).0 == 0)
        #expect(try DaemonHarness.runLoupe(["replay", "--check", "--lab", lab.root]).0 == 0)
    }

    /// kill -9 while the job waits in the queue, then a restart: the job is adopted from the
    /// log, nothing is submitted again, and its result is recorded once.
    @Test func aRestartedDaemonAdoptsTheRunningJobAndSubmitsNothingTwice() throws {
        let slurm = try FakeSlurm()
        slurm.hold()
        let lab = try Self.lab(slurm)
        try lab.start(environment: ["PATH": slurm.path])
        try Self.dropCorrected(lab, seeds: 1...2)
        try lab.waitFor("the submission") { try $0.events(type: .trainingStarted).count == 1 }
        #expect(try lab.signal(SIGKILL) == SIGKILL)

        try lab.start(environment: ["PATH": slurm.path])
        try lab.waitFor("the adoption") { _ in lab.daemonLog.contains("adopting Slurm job 100 of training run 1") }
        #expect(try lab.signal(SIGKILL) == SIGKILL)
        try lab.start(environment: ["PATH": slurm.path])
        slurm.release()
        try lab.waitFor("the adopted job's model") { try $0.events(type: .modelTrained).count == 1 }
        try lab.waitFor("the promotion") { try $0.events(type: .modelPromoted).count == 1 }
        #expect(try lab.signal(SIGTERM) == 0)

        #expect(try Self.started(lab).map(\.slurmJob) == ["100"])
        #expect(slurm.submissions.count == 1)
        #expect(try Self.endings(lab).isEmpty, "the run was not aborted by the restarts")
        #expect(try lab.ledger.events(type: .daemonStarted).count == 3)
        #expect(try DaemonHarness.runLoupe(["replay", "--check", "--lab", lab.root]).0 == 0)
    }

    /// A job that loses its node is recorded with Slurm's state and its log's end, and the
    /// retry policy submits the same corrections again.
    @Test(arguments: ["NODE_FAIL", "TIMEOUT", "CANCELLED"])
    func aJobThatEndsBadlyIsRecordedWithItsStateAndRetried(state: String) throws {
        let slurm = try FakeSlurm()
        slurm.hold()
        let lab = try Self.lab(slurm, retrain: #", "retryFailedSeconds": 0.2"#)
        try lab.start(environment: ["PATH": slurm.path])
        try Self.dropCorrected(lab, seeds: 1...2)
        try lab.waitFor("the submission") { try $0.events(type: .trainingStarted).count == 1 }
        try slurm.end("100", as: state)
        slurm.release()
        try lab.waitFor("the retry's model") { try $0.events(type: .modelTrained).count == 1 }
        #expect(try lab.signal(SIGTERM) == 0)

        #expect(try Self.started(lab).map(\.slurmJob) == ["100", "101"])
        let failed = try Self.endings(lab)
        #expect(failed.count == 1)
        #expect(failed.first?.reason.hasPrefix("Slurm job 100 ended \(state); ") == true, "\(failed)")
        #expect(try lab.types().contains("TrainingFailed"))
        #expect(lab.daemonLog.contains("training run 1 failed; 2 corrections still wait; attempt 2 of 3"), "\(lab.daemonLog)")
    }

    /// A node that returns other weights than it reports: the daemon's check refuses them.
    @Test func aModelWhoseSHAIsNotTheReportedOneIsRefusedAndRecorded() throws {
        let slurm = try FakeSlurm()
        let node = "\(slurm.root)/tampering-loupe"
        try Data("""
            #!/bin/sh
            '\(DaemonHarness.binary)' "$@"; status=$?
            printf x >> "$3/model.bin"
            exit $status
            """.utf8).write(to: URL(fileURLWithPath: node))
        chmod(node, 0o755)
        let lab = try Self.lab(slurm, binary: node)
        try lab.start(environment: ["PATH": slurm.path])
        try Self.dropCorrected(lab, seeds: 1...2)
        try lab.waitFor("the refusal") { try $0.events(type: .trainingFailed).count == 1 }
        #expect(try lab.signal(SIGTERM) == 0)

        let reason = try #require(try Self.endings(lab).first?.reason)
        #expect(reason.contains("the result of Slurm job 100 in "), "\(reason)")
        #expect(reason.contains("was refused: model.bin hashes to "), "\(reason)")
        #expect(try lab.ledger.events(type: .modelTrained).isEmpty)
        #expect(try lab.ledger.events(type: .modelPromoted).isEmpty)
    }

    /// Corrections that arrive while the training waits in the queue make a newer training,
    /// which replaces the queued one.
    @Test func aNewerTrainingSupersedesOneStillQueued() throws {
        let slurm = try FakeSlurm()
        slurm.hold()
        let lab = try Self.lab(slurm)
        try lab.start(environment: ["PATH": slurm.path])
        try Self.dropCorrected(lab, seeds: 1...2)
        try lab.waitFor("the first submission") { try $0.events(type: .trainingStarted).count == 1 }
        try lab.waitFor("Slurm's word that it waits") { _ in lab.daemonLog.contains("Slurm job 100 of training run 1 is PENDING") }
        try Self.dropCorrected(lab, seeds: 3...4)
        try lab.waitFor("the second submission") { try $0.events(type: .trainingStarted).count == 2 }
        slurm.release()
        try lab.waitFor("the newer training's model") { try $0.events(type: .modelTrained).count == 1 }
        #expect(try lab.signal(SIGTERM) == 0)

        #expect(slurm.cancellations == ["100"])
        #expect(slurm.state(of: "100") == "CANCELLED")
        let started = try Self.started(lab)
        #expect(started.map(\.slurmJob) == ["100", "101"])
        #expect(started.map(\.trainingSet.count) == [2, 3])
        let aborted = try Self.endings(lab)
        #expect(aborted.map(\.run) == [1])
        #expect(aborted.first?.reason.contains("superseded by a training on newer corrections: Slurm job 100 was still queued") == true)
        #expect(try lab.types().firstIndex(of: "TrainingAborted")! < lab.types().lastIndex(of: "TrainingStarted")!, "cancelled, then replaced")
    }

    /// After a promotion the queue's first page is predicted here at once, and the rest of the
    /// backlog goes to the cluster as a job array in shards: each image is predicted once.
    @Test func theBacklogPastTheFirstPageIsPredictedByAJobArray() throws {
        let slurm = try FakeSlurm()
        let lab = try Self.lab(slurm)
        try lab.start(environment: ["PATH": slurm.path])
        for seed in 0..<50 { try lab.drop(Synthetic.image(seed: seed), as: "im\(seed).png", into: "inbox") }
        try lab.waitFor("50 images") { try $0.events(type: .imageIngested).count == 50 }
        for seed in 1...2 { try lab.drop(Synthetic.mask(seed: seed), as: "im\(seed).png", into: "corrections") }
        try lab.waitFor("the 48 pending images' predictions") { try $0.events(type: .predictionMade).count == 48 }
        try lab.waitFor("the sweep's end") { _ in lab.daemonLog.contains("prediction sweep Slurm job array 101 ended") }
        #expect(try lab.signal(SIGTERM) == 0)

        let made = try lab.ledger.events(type: .predictionMade).compactMap {
            if case .predictionMade(let e) = try $0.decoded() { return e }
            return nil
        }
        #expect(Set(made.map(\.image)).count == 48, "each image once")
        #expect(Set(made.map(\.model)).count == 1)
        var byTask: [String: Int] = [:]
        for prediction in made { byTask[prediction.slurmJob ?? "here", default: 0] += 1 }
        #expect(byTask == ["here": Workspace.queueHead, "101_0": 25, "101_1": 3], "\(byTask)")
        #expect(slurm.submissions.count == 2)
        #expect(slurm.submissions.last?.contains("--array=0-1") == true)
        #expect(lab.daemonLog.contains("prediction sweep of 28 images by model"), "\(lab.daemonLog)")
        #expect(lab.listing("predictions").filter { $0.hasSuffix(".png") }.count == 48)
        #expect(try DaemonHarness.runLoupe(["verify", "--lab", lab.root]).0 == 0)
        #expect(try DaemonHarness.runLoupe(["replay", "--check", "--lab", lab.root]).0 == 0)
    }

    /// A newer model serves while its predecessor's sweep still waits in the queue: that
    /// array is cancelled, and the newer model's own sweep predicts the backlog.
    @Test func theSweepOfAModelThatNoLongerServesIsCancelled() throws {
        let slurm = try FakeSlurm()
        slurm.hold("sweep")
        // No correction is held back (every 2nd from the 3rd, so none), and the floor is 0:
        // every model that finds a vessel serves.
        let lab = try Self.lab(slurm, retrain: #", "validationEvery": 2, "minValidationDice": 0"#)
        try lab.start(environment: ["PATH": slurm.path])
        for seed in 0..<50 { try lab.drop(Synthetic.image(seed: seed), as: "im\(seed).png", into: "inbox") }
        try lab.waitFor("50 images") { try $0.events(type: .imageIngested).count == 50 }
        for seed in 1...2 { try lab.drop(Synthetic.mask(seed: seed), as: "im\(seed).png", into: "corrections") }
        try lab.waitFor("the first model's sweep, held in the queue") { _ in lab.daemonLog.contains("is Slurm job array 101,") }
        for seed in 3...4 { try lab.drop(Synthetic.mask(seed: seed), as: "im\(seed).png", into: "corrections") }
        try lab.waitFor("the second model") { try $0.events(type: .modelPromoted).count == 2 }
        try lab.waitFor("the second model's sweep") { _ in lab.daemonLog.contains("is Slurm job array 103,") }
        slurm.release()
        try lab.waitFor("the end of the second sweep") { _ in lab.daemonLog.contains("prediction sweep Slurm job array 103 ended") }
        #expect(try lab.signal(SIGTERM) == 0)

        #expect(slurm.cancellations == ["101"])
        #expect(slurm.state(of: "101") == "CANCELLED")
        let log = lab.daemonLog
        let cancelled = try #require(log.range(of: "cancelled Slurm job array 101: model "))
        let second = try #require(log.range(of: "is Slurm job array 103,"))
        #expect(cancelled.lowerBound < second.lowerBound, "cancelled before the newer sweep")
        let promoted = try lab.ledger.events(type: .modelPromoted).compactMap {
            if case .modelPromoted(let e) = try $0.decoded() { return e.model }
            return nil
        }
        let made = try lab.ledger.events(type: .predictionMade).compactMap {
            if case .predictionMade(let e) = try $0.decoded() { return e }
            return nil
        }
        #expect(!made.contains { $0.slurmJob?.hasPrefix("101_") == true }, "nothing of the cancelled array")
        let byNewer = made.filter { $0.model == promoted.last }
        #expect(byNewer.count == 46)
        #expect(Set(byNewer.map(\.image)).count == 46, "each image once")
        #expect(byNewer.filter { $0.slurmJob?.hasPrefix("103_") == true }.count == 26)
    }

    /// kill -9 while the sweep waits in the queue: the restarted daemon follows the same array
    /// (its directory records the id), submits nothing again, and takes every image once.
    @Test func aRestartedDaemonAdoptsItsSweep() throws {
        let slurm = try FakeSlurm()
        slurm.hold("sweep")
        let lab = try Self.lab(slurm)
        try lab.start(environment: ["PATH": slurm.path])
        for seed in 0..<50 { try lab.drop(Synthetic.image(seed: seed), as: "im\(seed).png", into: "inbox") }
        try lab.waitFor("50 images") { try $0.events(type: .imageIngested).count == 50 }
        for seed in 1...2 { try lab.drop(Synthetic.mask(seed: seed), as: "im\(seed).png", into: "corrections") }
        try lab.waitFor("the queue's first page") { try $0.events(type: .predictionMade).count == Workspace.queueHead }
        try lab.waitFor("the sweep, held in the queue") { _ in lab.daemonLog.contains("is Slurm job array 101,") }
        #expect(try lab.signal(SIGKILL) == SIGKILL)

        try lab.start(environment: ["PATH": slurm.path])
        slurm.release()
        try lab.waitFor("the adopted sweep's end") { _ in lab.daemonLog.contains("prediction sweep Slurm job array 101 ended") }
        #expect(try lab.signal(SIGTERM) == 0)

        #expect(slurm.submissions.count == 2, "the training and the sweep, once each")
        #expect(lab.daemonLog.components(separatedBy: "is Slurm job array 101,").count == 3, "submitted, then adopted")
        let made = try lab.ledger.events(type: .predictionMade).compactMap {
            if case .predictionMade(let e) = try $0.decoded() { return e }
            return nil
        }
        #expect(made.count == 48)
        #expect(Set(made.map(\.image)).count == 48, "each image once")
        #expect(made.filter { $0.slurmJob?.hasPrefix("101_") == true }.count == 28)
    }
}
