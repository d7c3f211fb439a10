import Foundation
import Testing
@testable import LoupeLedger

@Suite struct ReplayTests {
    /// A seeded random walk over every event type, shaped like a lab's life.
    static func randomHistory(seed: UInt64, count: Int) -> [PendingEvent] {
        var random = SplitMix(seed: seed)
        var images: [String] = []
        var models: [String] = []
        var run = 0
        var events: [PendingEvent] = []
        for index in 0..<count {
            let id = "e\(index)"
            switch random.next() % 11 {
            case 0, 1:
                images.append(sha(1000 + index))
                events.append(ingested(1000 + index))
            case 2 where !images.isEmpty && !models.isEmpty:
                let image = images[Int(random.next() % UInt64(images.count))]
                events.append(PendingEvent(stream: "image-\(image)", eventID: id, event: .predictionMade(PredictionMade(
                    image: image, model: models.last!, mask: sha(index), uncertainty: Double(random.next() % 1000) / 1000,
                    vesselFraction: 0.1, ms: 5))))
            case 3 where !images.isEmpty:
                let image = images[Int(random.next() % UInt64(images.count))]
                events.append(PendingEvent(stream: "image-\(image)", eventID: id, event: .correctionAccepted(CorrectionAccepted(
                    image: image, mask: sha(index), source: sha(index + 1), originalName: "x.png", annotator: random.next() % 2 == 0 ? "ah" : nil,
                    basedOnModel: models.last, basedOnMask: nil, pixelsChanged: nil, vesselPixels: 3, nonBinaryPixels: 0,
                    disagreement: random.next() % 2 == 0 ? Disagreement(annotator: "bb", mask: sha(index + 2), dice: 0.5) : nil))))
            case 4:
                run += 1
                events.append(PendingEvent(stream: "run-\(run)", eventID: id, event: .trainingStarted(TrainingStarted(
                    run: run, configHash: "c", config: "{}", seed: 1, warmStart: models.last,
                    trainingSet: images.prefix(2).map { LabelledImage(image: $0, mask: $0) }, validationSet: [], upToSeq: index))))
            case 5 where run > 0:
                let model = sha(50_000 + index)
                models.append(model)
                events.append(PendingEvent(stream: "run-\(run)", eventID: id, event: .modelTrained(ModelTrained(
                    run: run, model: model, epochs: 3, lossCurve: [0.9, 0.5], validationDice: 0.5, threads: 2, ms: 10))))
            case 6 where !models.isEmpty:
                let event: LedgerEvent = random.next() % 3 == 0
                    ? .modelRejected(ModelRejected(model: models.last!, candidateDice: 0.1, currentDice: 0.2))
                    : .modelPromoted(ModelPromoted(model: models.last!, replaced: models.dropLast().last, why: "better"))
                events.append(PendingEvent(stream: "model-\(models.last!)", eventID: id, event: event))
            case 7:
                let rejected = FileRejected(originalName: "bad\(index).png", rejectedPath: "rejected/bad\(index).png", reason: "empty file", sha256: sha(index))
                events.append(PendingEvent(stream: "rejections", eventID: id, event: random.next() % 2 == 0 ? .imageRejected(rejected) : .correctionRejected(rejected)))
            case 8 where run > 0:
                let ended = TrainingEnded(run: run, reason: "stopped")
                events.append(PendingEvent(stream: "run-\(run)", eventID: id, event: random.next() % 2 == 0 ? .trainingAborted(ended) : .trainingFailed(ended)))
            case 9:
                let names = ["ana", "bob", "cy"]
                events.append(PendingEvent(stream: "annotators", eventID: id, event: .annotatorAdded(AnnotatorAdded(
                    name: names[Int(random.next() % 3)], tokenSHA256: sha(90_000 + index)))))
            case 10:
                let by: String? = random.next() % 2 == 0 ? "ana" : nil
                let control: LedgerEvent = switch random.next() % 5 {
                case 0: .trainingRequested(OperatorAction(by: by))
                case 1: .trainingPaused(OperatorAction(by: by))
                case 2: .trainingResumed(OperatorAction(by: by))
                case 3: .modelPinned(ModelPin(model: models.last ?? sha(7), by: by))
                default: .modelUnpinned(ModelPin(model: models.last ?? sha(7), by: by))
                }
                events.append(PendingEvent(stream: "controls", eventID: id, event: control))
            default:
                events.append(PendingEvent(stream: "daemon", eventID: id, event: .daemonStarted(DaemonStarted(version: "t", settingsHash: "s", pid: index))))
            }
        }
        return events
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func fullReplayEqualsIncrementalProjections(seed: UInt64) throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/l.sqlite"
        let ledger = try Ledger(path: path)
        let history = Self.randomHistory(seed: seed, count: 400)
        var start = 0
        var random = SplitMix(seed: seed &+ 99)
        while start < history.count {
            let end = min(history.count, start + 1 + Int(random.next() % 20))
            try ledger.append(Array(history[start..<end]))
            start = end
        }
        #expect(try Replay.differences(ledger, livePath: path) == [])
        let live = ledger.projections
        let replayed = try Replay.project(ledger)
        #expect(try replayed.images() == live.images())
        #expect(try replayed.models() == live.models())
        #expect(try replayed.runs() == live.runs())
        #expect(try replayed.rejected() == live.rejected())
        #expect(try replayed.annotators() == live.annotators())
        #expect(try replayed.controls() == live.controls())
        #expect(try live.annotators().count == 3)
        #expect(try live.images().count > 10)
        #expect(try live.models().count > 3)
    }

    @Test func checkFindsAProjectionEditedBehindTheLogsBack() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/l.sqlite"
        let ledger = try Ledger(path: path)
        try ledger.append([ingested(1), ingested(2)])
        try ledger.connection.execute("UPDATE images SET state = 'corrected' WHERE name = 'im2.png'")
        let differences = try Replay.differences(ledger, livePath: path)
        #expect(differences.count == 2)
        #expect(differences.allSatisfy { $0.hasPrefix("images ") && $0.contains("im2.png") })
        #expect(try Replay.rebuild(ledger) == 2)
        #expect(try Replay.differences(ledger, livePath: path) == [])
    }

    @Test func replayToASeqShowsThePast() throws {
        let folder = TemporaryFolder()
        let ledger = try Ledger(path: "\(folder.path)/l.sqlite")
        try ledger.append([ingested(1), ingested(2), ingested(3)])
        let past = try Replay.project(ledger, upTo: 2)
        #expect(try past.images().map(\.name) == ["im1.png", "im2.png"])
    }
}

struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
