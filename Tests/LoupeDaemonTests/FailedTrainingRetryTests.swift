import Foundation
import LoupeLab
import LoupeLedger
import Testing

/// Issue 21, item 7, against a real `loupe run`: a training that failed was not retried, its
/// corrections were never trained on, and status said none waited.
@Suite(.serialized) struct FailedTrainingRetryTests {
    static let settings = DaemonHarness.tinySettings.replacingOccurrences(
        of: #""minNewCorrections": 2}"#, with: #""minNewCorrections": 2, "retryFailedSeconds": 0.2}"#)

    @Test func aChangedArchitectureWithWarmStartOnTrainsColdInsteadOfFailing() throws {
        let lab = try DaemonHarness()
        try lab.start()
        try Self.dropCorrected(lab, seeds: 1...2)
        try lab.waitFor("the first model") { try $0.events(type: .modelPromoted).count == 1 }
        #expect(try lab.signal(SIGTERM) == 0)

        let deeper = DaemonHarness.tinySettings.replacingOccurrences(of: #""channels": [4, 8]"#, with: #""channels": [4, 8, 8]"#)
        #expect(deeper != DaemonHarness.tinySettings)
        try Data(deeper.utf8).write(to: URL(fileURLWithPath: Workspace.settingsPath(lab: lab.root)))
        try lab.start()
        try Self.dropCorrected(lab, seeds: 3...4)
        try lab.waitFor("the second training's end") { try $0.events(type: .trainingStarted).count == 2 && $0.events(type: .modelTrained).count == 2 }
        #expect(try lab.signal(SIGTERM) == 0)

        #expect(try !lab.types().contains("TrainingFailed"))
        guard case .trainingStarted(let second) = try lab.ledger.events(type: .trainingStarted)[1].decoded() else {
            Issue.record("no second TrainingStarted")
            return
        }
        #expect(second.warmStart == nil)
        #expect(second.coldStart?.contains("another architecture") == true, "\(second.coldStart ?? "none")")
        #expect(lab.daemonLog.contains("cold start: the serving model"))
    }

    @Test func aFailedTrainingIsRetriedByThePolicyThenWaitsForANewCorrectionWithItsCorrectionsShownAsWaiting() throws {
        let lab = try DaemonHarness(settings: Self.settings)
        try Workspace(at: lab.root).pauseTraining(by: nil)
        try lab.start()
        try Self.dropCorrected(lab, seeds: 1...2)
        try lab.waitFor("both corrections") { try $0.events(type: .correctionAccepted).count == 2 }
        #expect(try lab.signal(SIGTERM) == 0)
        // A mask gone from objects/ makes every training on these corrections fail.
        guard case .correctionAccepted(let first) = try lab.ledger.events(type: .correctionAccepted)[0].decoded() else {
            Issue.record("no CorrectionAccepted")
            return
        }
        let maskPath = "\(lab.root)/objects/\(first.mask.prefix(2))/\(first.mask)"
        let mask = try Data(contentsOf: URL(fileURLWithPath: maskPath))
        try FileManager.default.removeItem(atPath: maskPath)
        try Workspace(at: lab.root).resumeTraining(by: nil)

        try lab.start()
        try lab.waitFor("the attempts to run out") { _ in lab.daemonLog.contains("no attempt left on them") }
        #expect(lab.daemonLog.contains("2 corrections still wait; attempt 2 of 3 in 0.2 s"), "\(lab.daemonLog)")
        #expect(lab.daemonLog.contains("attempt 3 of 3 in 0.4 s"))
        let (status, output) = try DaemonHarness.runLoupe(["status", "--lab", lab.root, "--json"])
        #expect(status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        #expect(report?["correctionsAwaitingTraining"] as? Int == 2, "\(output)")

        // A scheduling pass after the last failure: an image goes in, and no fourth training starts.
        try lab.drop(Synthetic.image(seed: 3), as: "im3.png", into: "inbox")
        try lab.waitFor("the third image") { try $0.events(type: .imageIngested).count == 3 }
        #expect(try lab.ledger.events(type: .trainingStarted).count == FailedTrainingRetry.maxAttempts)
        #expect(try lab.ledger.events(type: .trainingFailed).count == FailedTrainingRetry.maxAttempts)

        // A new correction gets new attempts; with the mask back, the training makes a model.
        try mask.write(to: URL(fileURLWithPath: maskPath))
        try lab.drop(Synthetic.mask(seed: 3), as: "im3.png", into: "corrections")
        try lab.waitFor("a model from all three corrections") { try $0.events(type: .modelTrained).count == 1 }
        #expect(try lab.signal(SIGTERM) == 0)
        #expect(try lab.ledger.events(type: .trainingStarted).count == FailedTrainingRetry.maxAttempts + 1)
    }

    private static func dropCorrected(_ lab: DaemonHarness, seeds: ClosedRange<Int>) throws {
        for seed in seeds {
            try lab.drop(Synthetic.image(seed: seed), as: "im\(seed).png", into: "inbox")
            try lab.drop(Synthetic.mask(seed: seed), as: "im\(seed).png", into: "corrections")
        }
    }
}
