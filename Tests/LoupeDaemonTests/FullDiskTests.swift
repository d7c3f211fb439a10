import Foundation
import LoupeLab
import LoupeLedger
import Testing

/// Issue 21, item 5: a full disk while a training was recorded made `loupe run` exit with
/// status 0, and a supervisor that restarts on failure left it down. Now the daemon keeps the
/// trained model in memory and records it once the disk has room; an error it cannot survive
/// exits nonzero and says why. The disk is made full through `LOUPE_FAULT_OBJECT_WRITES`.
@Suite(.serialized) struct FullDiskTests {
    @Test func aFullDiskWhileATrainingIsRecordedPausesItAndTheModelIsRecordedOnceWhenThereIsRoom() throws {
        let (lab, full) = try Self.labReadyToTrain(failingWith: "ENOSPC")
        try lab.start(environment: ["LOUPE_FAULT_OBJECT_WRITES": full])
        try lab.waitFor("the failed recording to be logged") { _ in lab.daemonLog.contains("recording training run 1 failed") }
        #expect(lab.daemonLog.contains("No space left on device"), "\(lab.daemonLog)")
        #expect(lab.daemonLog.contains("its result waits in memory"))
        #expect(lab.isRunning, "the daemon waits for room instead of exiting")
        #expect(try lab.ledger.events(type: .modelTrained).isEmpty)

        try FileManager.default.removeItem(atPath: full)
        try lab.waitFor("the model once the disk has room") { try $0.events(type: .modelPromoted).count == 1 }
        // Logged after the commit the poll sees: a loaded machine may run the test between the two.
        try lab.waitFor("the notice that writes work again") { _ in lab.daemonLog.contains("accept writes again") }
        #expect(try lab.signal(SIGTERM) == 0)
        let types = try lab.types()
        #expect(types.filter { $0 == "TrainingStarted" }.count == 1, "the trained result was kept, not trained again")
        #expect(types.filter { $0 == "ModelTrained" }.count == 1, "recorded exactly once")
        #expect(!types.contains("TrainingFailed") && !types.contains("TrainingAborted"))
        guard case .modelTrained(let trained) = try lab.ledger.events(type: .modelTrained)[0].decoded() else {
            Issue.record("ModelTrained does not decode")
            return
        }
        let stored = try Data(contentsOf: URL(fileURLWithPath: "\(lab.root)/objects/\(trained.model.prefix(2))/\(trained.model)"))
        #expect(ObjectStore.sha256(Array(stored)) == trained.model, "the weights recorded are the ones stored")
    }

    @Test func anErrorTheDaemonCannotSurviveExitsNonzeroAndSaysWhy() throws {
        let (lab, full) = try Self.labReadyToTrain(failingWith: "EROFS")
        try lab.start(environment: ["LOUPE_FAULT_OBJECT_WRITES": full])
        let status = lab.waitForExit()
        #expect(status != 0, "a supervisor that restarts on failure must see one")
        #expect(lab.daemonLog.contains("Error: the daemon stopped: recording training run 1 failed"), "\(lab.daemonLog)")
        #expect(lab.daemonLog.contains("Read-only file system"))
        guard case .daemonStopped(let stopped) = try lab.ledger.events(type: .daemonStopped).last?.decoded() else {
            Issue.record("no DaemonStopped")
            return
        }
        #expect(stopped.reason.contains("recording training run 1 failed"), "\(stopped.reason)")
    }

    /// A lab with two corrected images whose first training is due as soon as a daemon starts,
    /// and the path of a file that makes every object write fail with `code` while it exists.
    /// Training is paused while the corrections go in, so no training runs before the disk fails.
    private static func labReadyToTrain(failingWith code: String) throws -> (DaemonHarness, String) {
        let lab = try DaemonHarness()
        try Workspace(at: lab.root).pauseTraining(by: nil)
        try lab.start()
        for seed in 1...2 {
            try lab.drop(Synthetic.image(seed: seed), as: "im\(seed).png", into: "inbox")
            try lab.drop(Synthetic.mask(seed: seed), as: "im\(seed).png", into: "corrections")
        }
        try lab.waitFor("both corrections") { try $0.events(type: .correctionAccepted).count == 2 }
        #expect(try lab.signal(SIGTERM) == 0)
        let full = "\(lab.root)/disk-full"
        try Data(code.utf8).write(to: URL(fileURLWithPath: full))
        try Workspace(at: lab.root).resumeTraining(by: nil)
        return (lab, full)
    }
}
