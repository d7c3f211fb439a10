import Foundation
import LoupeLedger
import Testing

/// The daemon as a lab meets it: a real `loupe run` process, files dropped into its folders.
/// Assertions are on events and their order, never on how long anything took.
@Suite(.serialized) struct DaemonTests {
    @Test func imagesAndCorrectionsDriveTrainingPromotionAndReprediction() throws {
        let lab = try DaemonHarness()
        try lab.start()
        for seed in 1...3 { try lab.drop(Synthetic.image(seed: seed), as: "im\(seed).png", into: "inbox") }
        try lab.waitFor("three images") { try $0.events(type: .imageIngested).count == 3 }
        #expect(try lab.ledger.events(type: .predictionMade).isEmpty, "no model yet, so no prediction")

        try lab.drop(Synthetic.mask(seed: 1), as: "im1.png", into: "corrections")
        try lab.drop(Synthetic.mask(seed: 2), as: "im2.ah.png", into: "corrections")
        try lab.waitFor("a prediction by the first model") { try !$0.events(type: .predictionMade).isEmpty }

        let types = try lab.types()
        let started = try #require(types.firstIndex(of: "TrainingStarted"))
        #expect(types.filter { $0 == "CorrectionAccepted" }.count == 2)
        #expect(types.lastIndex(of: "CorrectionAccepted")! < started, "training waits for both corrections")
        #expect(Array(types[started...].prefix(4)) == ["TrainingStarted", "ModelTrained", "ModelPromoted", "PredictionMade"])

        let promoted = try lab.ledger.events(type: .modelPromoted)
        guard case .modelPromoted(let promotion) = try promoted[0].decoded(),
              case .predictionMade(let made) = try lab.ledger.events(type: .predictionMade)[0].decoded() else {
            Issue.record("unexpected payloads")
            return
        }
        #expect(made.model == promotion.model)
        let pending = try lab.ledger.projections.images(state: .predicted)
        #expect(pending.map(\.name) == ["im3.png"])
        #expect(lab.listing("predictions") == ["im3.png"])
        #expect(lab.listing("inbox").isEmpty && lab.listing("corrections").isEmpty)
        #expect(try lab.signal(SIGTERM) == 0)
        #expect(try lab.types().last == "DaemonStopped")

        let (status, output) = try DaemonHarness.runLoupe(["reproduce", String(promotion.model.prefix(16)), "--lab", lab.root])
        #expect(status == 0)
        #expect(output.contains("reproduced \(promotion.model)"))
        guard case .trainingStarted(let started) = try lab.ledger.events(type: .trainingStarted)[0].decoded() else {
            Issue.record("no TrainingStarted")
            return
        }
        let kernel = try #require(started.blasKernel)
        #expect(output.contains("kernel     \(kernel) (recorded: \(kernel))"))
    }

    @Test func aFileWrittenSlowlyInPiecesIsIngestedOnceAndWhole() throws {
        // Pauses between pieces well inside the settle time: a loaded machine may stretch them.
        let lab = try DaemonHarness(settings: DaemonHarness.tinySettings.replacingOccurrences(of: "\"settleMilliseconds\": 300", with: "\"settleMilliseconds\": 1500"))
        try lab.start()
        let bytes = Synthetic.image(seed: 4)
        let path = "\(lab.root)/inbox/slow.png"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let third = bytes.count / 3
        for piece in [bytes[..<third], bytes[third..<2 * third], bytes[(2 * third)...]] {
            try handle.write(contentsOf: Data(piece))
            usleep(150_000)
        }
        try handle.close()
        try lab.waitFor("the slow file") { try !$0.events(type: .imageIngested).isEmpty }
        #expect(try lab.ledger.events(type: .imageRejected).isEmpty)
        guard case .imageIngested(let ingested) = try lab.ledger.events(type: .imageIngested)[0].decoded() else {
            Issue.record("the first ImageIngested row decodes to another event")
            return
        }
        #expect(ingested.bytes == bytes.count)
        #expect(ingested.image == ObjectStore.sha256(bytes))
        _ = try lab.signal(SIGTERM)
        #expect(try lab.ledger.events(type: .imageIngested).count == 1)
    }

    @Test func temporaryNamesWaitUntilRenamedAndBadFilesAreRejectedWhileTheDaemonRuns() throws {
        let lab = try DaemonHarness()
        try lab.start()
        try Data(Synthetic.image(seed: 5)).write(to: URL(fileURLWithPath: "\(lab.root)/inbox/copying.png.part"))
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: "\(lab.root)/inbox/notes.png"))
        // The event is committed first, then the file moved: wait for both.
        try lab.waitFor("the bad file's rejection") { _ in lab.listing("rejected") == ["notes.png", "notes.png.reason.txt"] }
        #expect(try lab.ledger.events(type: .imageRejected).count == 1)
        #expect(try lab.ledger.events(type: .imageIngested).isEmpty, "a .part file is not taken")
        let reason = try String(contentsOfFile: "\(lab.root)/rejected/notes.png.reason.txt", encoding: .utf8)
        #expect(reason.hasPrefix("unknown format"))

        try FileManager.default.moveItem(atPath: "\(lab.root)/inbox/copying.png.part", toPath: "\(lab.root)/inbox/copied.png")
        try lab.waitFor("the renamed file") { try !$0.events(type: .imageIngested).isEmpty }
        #expect(try lab.signal(SIGTERM) == 0)
    }

    @Test func aSecondDaemonOnTheSameLabIsRefused() throws {
        let lab = try DaemonHarness()
        try lab.start()
        let second = Process()
        second.executableURL = URL(fileURLWithPath: DaemonHarness.binary)
        second.arguments = ["run", "--lab", lab.root, "--no-http"]
        let errors = Pipe()
        second.standardError = errors
        try second.run()
        second.waitUntilExit()
        #expect(second.terminationStatus != 0)
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(said.contains("already running"))
        #expect(try lab.ledger.events(type: .daemonStarted).count == 1)
        _ = try lab.signal(SIGTERM)
    }

    @Test func sigtermDuringTrainingAbortsItAndRecordsTheStop() throws {
        let lab = try DaemonHarness(settings: DaemonHarness.tinySettings.replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 100000"))
        try lab.start()
        for seed in 1...2 {
            try lab.drop(Synthetic.image(seed: seed), as: "im\(seed).png", into: "inbox")
        }
        try lab.waitFor("two images") { try $0.events(type: .imageIngested).count == 2 }
        for seed in 1...2 { try lab.drop(Synthetic.mask(seed: seed), as: "im\(seed).png", into: "corrections") }
        try lab.waitFor("the training to start") { try !$0.events(type: .trainingStarted).isEmpty }
        #expect(try lab.signal(SIGTERM) == 0)
        #expect(Array(try lab.types().suffix(2)) == ["TrainingAborted", "DaemonStopped"])
    }

    @Test func killedDuringTrainingThenRestartedResumesWithNothingLostOrRepeated() throws {
        let long = DaemonHarness.tinySettings.replacingOccurrences(of: "\"epochs\": 2", with: "\"epochs\": 100000")
        let lab = try DaemonHarness(settings: long)
        try lab.start()
        for seed in 1...3 { try lab.drop(Synthetic.image(seed: seed), as: "im\(seed).png", into: "inbox") }
        try lab.waitFor("three images") { try $0.events(type: .imageIngested).count == 3 }
        for seed in 1...2 { try lab.drop(Synthetic.mask(seed: seed), as: "im\(seed).png", into: "corrections") }
        try lab.waitFor("the training to start") { try !$0.events(type: .trainingStarted).isEmpty }
        _ = try lab.signal(SIGKILL)

        try Data(DaemonHarness.tinySettings.utf8).write(to: URL(fileURLWithPath: "\(lab.root)/loupe.json"))
        try lab.start()
        try lab.waitFor("the resumed training's prediction") { try !$0.events(type: .predictionMade).isEmpty }
        let types = try lab.types()
        #expect(types.filter { $0 == "TrainingStarted" }.count == 2)
        #expect(types.filter { $0 == "TrainingAborted" }.count == 1)
        #expect(types.firstIndex(of: "TrainingAborted")! > types.lastIndex(of: "DaemonStarted")!, "the restart closes the killed run")
        #expect(types.filter { $0 == "ImageIngested" }.count == 3)
        #expect(types.filter { $0 == "CorrectionAccepted" }.count == 2)
        #expect(try lab.signal(SIGTERM) == 0)
        try expectConsistent(lab)
    }

    @Test func killedDuringIngestionOfFiftyFilesThenRestartedAccountsForEachExactlyOnce() throws {
        let lab = try DaemonHarness()
        try lab.start()
        let names = (1...50).map { "drop\($0).png" }
        // Large enough that decoding all fifty spans many loop iterations, so the kill lands
        // between batches rather than after the last one.
        for (index, name) in names.enumerated() {
            try lab.drop(Synthetic.image(seed: 100 + index, width: 640, height: 480), as: name, into: "inbox")
        }
        try lab.waitFor("the first ingestion", pollMicroseconds: 2_000) { try !$0.events(type: .imageIngested).isEmpty }
        _ = try lab.signal(SIGKILL)
        let beforeRestart = try lab.ledger.events(type: .imageIngested).count

        try lab.start()
        try lab.waitFor("all fifty") { try $0.events(type: .imageIngested).count == 50 }
        _ = try lab.signal(SIGTERM)
        #expect(beforeRestart < 50, "the kill landed mid-ingestion")
        let ingested = try lab.ledger.events(type: .imageIngested).compactMap { row -> String? in
            if case .imageIngested(let e) = try row.decoded() { return e.originalName }
            return nil
        }
        #expect(ingested.sorted() == names.sorted())
        #expect(lab.listing("inbox").filter { !$0.hasPrefix(".") }.isEmpty)
        #expect(lab.listing("rejected").isEmpty)
        try expectConsistent(lab)
    }

    private func expectConsistent(_ lab: DaemonHarness) throws {
        for command in [["verify"], ["replay", "--check"]] {
            let (status, output) = try DaemonHarness.runLoupe(command + ["--lab", lab.root])
            #expect(status == 0, "loupe \(command.joined(separator: " ")) failed")
            #expect(output.hasPrefix("ok: "))
        }
    }
}
