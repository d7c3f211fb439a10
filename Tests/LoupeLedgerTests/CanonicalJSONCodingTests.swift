import Foundation
import Testing
@testable import LoupeLedger

/// The fast payload coder must write byte for byte what JSONEncoder (sorted keys, unescaped
/// slashes) writes, since the bytes are hashed into the chain, and read back what it wrote.
struct CanonicalJSONCodingTests {
    static let sha = String(repeating: "ab", count: 32)
    static let awkward = "quote\" back\\slash /slash tab\t nl\n cr\r bell\u{07} nul\u{00} del\u{7F} é 漢字 🦀 \u{2028}"
    static let doubles: [Double] = [
        0, 1, -1, 0.5, 0.1, 0.30000000000000004, 1.0 / 3, -2.5e-7, 1e-7, 123456.789, 1e15, 1e16, 1e21, 1.5e300,
        Double.leastNonzeroMagnitude, 2.2250738585072014e-308, Double.greatestFiniteMagnitude, 9007199254740992, 4503599627370496.5, 999999.0, 1234567.0,
        2_147_483_647, 2_147_483_648, 99_999_999_999_999, 999_999_999_999_999, 1e14, 123_456_789_012_345, 1e17, 1e-4, 1e-5,
    ]

    static var events: [LedgerEvent] {
        var events: [LedgerEvent] = [
            .imageIngested(ImageIngested(image: sha, originalName: "im0001.png", width: 700, height: 605, channels: 3, bytes: 480_123)),
            .imageIngested(ImageIngested(image: sha, originalName: awkward, width: 0, height: -1, channels: Int.max, bytes: Int.min)),
            .imageNamed(ImageNamed(image: sha, originalName: awkward)),
            .imageRejected(FileRejected(originalName: "a/b.png", rejectedPath: "rejected/a.png", reason: awkward, sha256: sha)),
            .correctionRejected(FileRejected(originalName: "", rejectedPath: "", reason: "", sha256: "")),
            .correctionAccepted(CorrectionAccepted(
                image: sha, mask: sha, source: sha, originalName: "im0001.png", annotator: nil, basedOnModel: nil,
                basedOnMask: nil, pixelsChanged: nil, vesselPixels: 10, nonBinaryPixels: 0)),
            .correctionAccepted(CorrectionAccepted(
                image: sha, mask: sha, source: sha, originalName: "im0001.png", annotator: "ah", basedOnModel: sha,
                basedOnMask: sha, pixelsChanged: 42, vesselPixels: 10, nonBinaryPixels: 3)),
            .trainingStarted(TrainingStarted(
                run: 1, configHash: sha, config: "{\"epochs\":3,\"path\":\"a/b\"}", seed: UInt64.max, warmStart: nil,
                trainingSet: [LabelledImage(image: sha, mask: sha), LabelledImage(image: "x", mask: "y")], validationSet: [], upToSeq: 99)),
            .trainingStarted(TrainingStarted(
                run: 2, configHash: "", config: "", seed: 0, warmStart: sha, trainingSet: [], validationSet: [LabelledImage(image: "v", mask: "w")],
                upToSeq: 0)),
            .trainingStarted(TrainingStarted(
                run: 3, configHash: sha, config: "{}", seed: 1, warmStart: nil, trainingSet: [], validationSet: [], upToSeq: 7,
                blasKernel: "SkylakeX", blasLibrary: "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64", threads: 2)),
            .trainingStarted(TrainingStarted(
                run: 4, configHash: "", config: "", seed: 0, warmStart: nil, trainingSet: [], validationSet: [], upToSeq: 0,
                blasKernel: awkward, blasLibrary: "", threads: Int.max)),
            .trainingStarted(TrainingStarted(
                run: 5, configHash: sha, config: "{}", seed: 1, warmStart: nil, trainingSet: [], validationSet: [], upToSeq: 8,
                threads: 2, coldStart: awkward)),
            .modelTrained(modelTrained(#"{"run":1,"model":"\#(sha)","epochs":3,"lossCurve":[0.9,0.5,1e-9,2],"validationDice":0.8123,"threads":2,"ms":1234}"#)),
            .modelTrained(modelTrained(#"{"run":1,"model":"m","epochs":0,"lossCurve":[],"threads":1,"ms":0}"#)),
            .trainingFailed(TrainingEnded(run: 3, reason: awkward)),
            .trainingAborted(TrainingEnded(run: 4, reason: "stopped")),
            .modelPromoted(ModelPromoted(model: sha, replaced: nil, why: "first model")),
            .modelPromoted(ModelPromoted(model: sha, replaced: sha, why: "dice 0.8 > 0.7")),
            .modelRejected(ModelRejected(model: sha, candidateDice: 0.25, currentDice: 1)),
            .modelRejected(ModelRejected(model: sha, candidateDice: 0, currentDice: nil, floor: 0.2, reason: awkward)),
            .daemonStarted(DaemonStarted(version: "0.1.0", settingsHash: sha, pid: 4242)),
            .daemonStopped(DaemonStopped(version: "0.1.0", reason: "SIGTERM")),
            .correctionAccepted(CorrectionAccepted(
                image: sha, mask: sha, source: sha, originalName: "im0001.bb.png", annotator: "bb", basedOnModel: sha,
                basedOnMask: sha, pixelsChanged: 7, vesselPixels: 10, nonBinaryPixels: 0,
                disagreement: Disagreement(annotator: "ah", mask: sha, dice: 0.8888888888888888))),
            .correctionAccepted(CorrectionAccepted(
                image: sha, mask: sha, source: sha, originalName: awkward, annotator: nil, basedOnModel: nil,
                basedOnMask: nil, pixelsChanged: nil, vesselPixels: 0, nonBinaryPixels: 0,
                disagreement: Disagreement(annotator: nil, mask: sha, dice: 1))),
            .predictionMade(PredictionMade(image: sha, model: sha, mask: sha, uncertainty: 0.25, vesselFraction: 0.1, ms: 9, probability: sha)),
            .annotatorAdded(AnnotatorAdded(name: "ana", tokenSHA256: sha)),
            .labelStudioTaskLinked(LabelStudioTaskLinked(project: 3, task: 41, image: sha, source: "/data/upload/3/ab12-\(awkward)")),
            .trainingRequested(OperatorAction(by: "ana")),
            .trainingRequested(OperatorAction(by: nil)),
            .trainingPaused(OperatorAction(by: awkward)),
            .trainingResumed(OperatorAction(by: nil)),
            .modelPinned(ModelPin(model: sha, by: "ana")),
            .modelUnpinned(ModelPin(model: sha, by: nil)),
            .imageSkipped(ImageSetAside(image: sha, by: "ana", reason: awkward)),
            .imageFlagged(ImageSetAside(image: sha, by: nil, reason: "blurred")),
            .imageRestored(ImageSetAside(image: sha, by: "ana", reason: "")),
            .imageCommented(ImageComment(image: sha, by: "ana", text: "line one\nline \"two\" é")),
            .correctionApproved(CorrectionReview(image: sha, correction: 12, annotator: nil, by: "rev", note: "")),
            .correctionSentBack(CorrectionReview(image: sha, correction: 13, annotator: "ana", by: "rev", note: awkward)),
            .loginCodeIssued(LoginCodeIssued(name: "ana", codeSHA256: sha, expiresAt: "2026-12-05T10:00:00Z")),
            .loginCodeRedeemed(LoginCodeRedeemed(name: "ana", codeSHA256: sha, tokenSHA256: sha)),
        ]
        for value in doubles + doubles.map(-) {
            events.append(.predictionMade(PredictionMade(
                image: sha, model: sha, mask: sha, uncertainty: value, vesselFraction: value / 7, ms: 12)))
        }
        return events
    }

    /// Made from JSON so the test compiles whichever fields ModelTrained has on a branch.
    static func modelTrained(_ json: String) -> ModelTrained {
        try! JSONDecoder().decode(ModelTrained.self, from: Data(json.utf8))
    }

    static func foundationPayload(_ event: LedgerEvent) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        switch event {
        case .imageIngested(let p): data = try encoder.encode(p)
        case .imageNamed(let p): data = try encoder.encode(p)
        case .imageRejected(let p), .correctionRejected(let p): data = try encoder.encode(p)
        case .predictionMade(let p): data = try encoder.encode(p)
        case .correctionAccepted(let p): data = try encoder.encode(p)
        case .trainingStarted(let p): data = try encoder.encode(p)
        case .modelTrained(let p): data = try encoder.encode(p)
        case .trainingFailed(let p), .trainingAborted(let p): data = try encoder.encode(p)
        case .modelPromoted(let p): data = try encoder.encode(p)
        case .modelRejected(let p): data = try encoder.encode(p)
        case .daemonStarted(let p): data = try encoder.encode(p)
        case .daemonStopped(let p): data = try encoder.encode(p)
        case .annotatorAdded(let p): data = try encoder.encode(p)
        case .trainingRequested(let p), .trainingPaused(let p), .trainingResumed(let p): data = try encoder.encode(p)
        case .modelPinned(let p), .modelUnpinned(let p): data = try encoder.encode(p)
        case .labelStudioTaskLinked(let p): data = try encoder.encode(p)
        case .imageSkipped(let p), .imageFlagged(let p), .imageRestored(let p): data = try encoder.encode(p)
        case .imageCommented(let p): data = try encoder.encode(p)
        case .correctionApproved(let p), .correctionSentBack(let p): data = try encoder.encode(p)
        case .loginCodeIssued(let p): data = try encoder.encode(p)
        case .loginCodeRedeemed(let p): data = try encoder.encode(p)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Issue 21 added `coldStart`: a TrainingStarted of an older log reads without it, and one
    /// without it is written byte for byte as before, so old chains still verify and replay.
    @Test func aTrainingStartedWithoutColdStartReadsAndWritesAsBefore() throws {
        let old = #"{"config":"{}","configHash":"h","run":1,"seed":1,"trainingSet":[],"upToSeq":3,"validationSet":[]}"#
        let decoded = try JSONDecoder().decode(TrainingStarted.self, from: Data(old.utf8))
        #expect(decoded.coldStart == nil)
        var written: [UInt8] = []
        try CanonicalJSON.encode(decoded, into: &written)
        #expect(String(decoding: written, as: UTF8.self) == old)
    }

    @Test func everyEventTypeIsCovered() {
        #expect(Set(Self.events.map(\.kind)) == Set(EventKind.allCases))
    }

    @Test(arguments: events)
    func payloadBytesEqualJSONEncoder(_ event: LedgerEvent) throws {
        #expect(try event.encodedPayload() == Self.foundationPayload(event))
    }

    /// Not through the fallback: the fast encoder itself handles every payload.
    @Test(arguments: events)
    func fastEncoderNeedsNoFallback(_ event: LedgerEvent) throws {
        var bytes: [UInt8] = []
        switch event {
        case .imageIngested(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .imageNamed(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .imageRejected(let p), .correctionRejected(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .predictionMade(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .correctionAccepted(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .trainingStarted(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .modelTrained(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .trainingFailed(let p), .trainingAborted(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .modelPromoted(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .modelRejected(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .daemonStarted(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .daemonStopped(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .annotatorAdded(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .trainingRequested(let p), .trainingPaused(let p), .trainingResumed(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .modelPinned(let p), .modelUnpinned(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .labelStudioTaskLinked(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .imageSkipped(let p), .imageFlagged(let p), .imageRestored(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .imageCommented(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .correctionApproved(let p), .correctionSentBack(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .loginCodeIssued(let p): try CanonicalJSON.encode(p, into: &bytes)
        case .loginCodeRedeemed(let p): try CanonicalJSON.encode(p, into: &bytes)
        }
        #expect(String(decoding: bytes, as: UTF8.self) == (try Self.foundationPayload(event)))
    }

    @Test(arguments: events)
    func roundTrips(_ event: LedgerEvent) throws {
        let payload = try event.encodedPayload()
        #expect(try LedgerEvent.decode(type: event.kind.rawValue, schema: event.schema, payload: Data(payload.utf8)) == event)
    }

    /// The fast decoder reads every payload without falling back to JSONDecoder.
    @Test(arguments: events)
    func fastDecoderNeedsNoFallback(_ event: LedgerEvent) throws {
        let payload = Array(try event.encodedPayload().utf8)
        do {
            switch event {
            case .imageIngested(let p): #expect(try fast(ImageIngested.self, payload) == p)
            case .imageNamed(let p): #expect(try fast(ImageNamed.self, payload) == p)
            case .imageRejected(let p), .correctionRejected(let p): #expect(try fast(FileRejected.self, payload) == p)
            case .predictionMade(let p): #expect(try fast(PredictionMade.self, payload) == p)
            case .correctionAccepted(let p): #expect(try fast(CorrectionAccepted.self, payload) == p)
            case .trainingStarted(let p): #expect(try fast(TrainingStarted.self, payload) == p)
            case .modelTrained(let p): #expect(try fast(ModelTrained.self, payload) == p)
            case .trainingFailed(let p), .trainingAborted(let p): #expect(try fast(TrainingEnded.self, payload) == p)
            case .modelPromoted(let p): #expect(try fast(ModelPromoted.self, payload) == p)
            case .modelRejected(let p): #expect(try fast(ModelRejected.self, payload) == p)
            case .daemonStarted(let p): #expect(try fast(DaemonStarted.self, payload) == p)
            case .daemonStopped(let p): #expect(try fast(DaemonStopped.self, payload) == p)
            case .annotatorAdded(let p): #expect(try fast(AnnotatorAdded.self, payload) == p)
            case .trainingRequested(let p), .trainingPaused(let p), .trainingResumed(let p): #expect(try fast(OperatorAction.self, payload) == p)
            case .modelPinned(let p), .modelUnpinned(let p): #expect(try fast(ModelPin.self, payload) == p)
            case .labelStudioTaskLinked(let p): #expect(try fast(LabelStudioTaskLinked.self, payload) == p)
            case .imageSkipped(let p), .imageFlagged(let p), .imageRestored(let p): #expect(try fast(ImageSetAside.self, payload) == p)
            case .imageCommented(let p): #expect(try fast(ImageComment.self, payload) == p)
            case .correctionApproved(let p), .correctionSentBack(let p): #expect(try fast(CorrectionReview.self, payload) == p)
            case .loginCodeIssued(let p): #expect(try fast(LoginCodeIssued.self, payload) == p)
            case .loginCodeRedeemed(let p): #expect(try fast(LoginCodeRedeemed.self, payload) == p)
            }
        }
    }

    func fast<T: Decodable>(_ type: T.Type, _ payload: [UInt8]) throws -> T {
        try payload.withUnsafeBytes { try CanonicalJSONDecoding.decode(T.self, from: $0) }
    }

    /// Logs written some other way (spaces, escaped slashes, \u escapes, key order, explicit
    /// nulls, exponents) still decode, through the fast path or the fallback.
    @Test func readsOtherwiseWrittenJSON() throws {
        let json = """
            { "why" : "a\\/b \\u00e9 \\ud83e\\udd80" ,\n "replaced": null, "model":"m" }
            """
        let event = try LedgerEvent.decode(type: "ModelPromoted", schema: 1, payload: Data(json.utf8))
        #expect(event == .modelPromoted(ModelPromoted(model: "m", replaced: nil, why: "a/b é 🦀")))
        #expect(try fast(ModelPromoted.self, Array(json.utf8)) == ModelPromoted(model: "m", replaced: nil, why: "a/b é 🦀"))

        let exponent = #"{"candidateDice":2.5E-1,"currentDice":1e0,"model":"m"}"#
        #expect(try LedgerEvent.decode(type: "ModelRejected", schema: 1, payload: Data(exponent.utf8))
            == .modelRejected(ModelRejected(model: "m", candidateDice: 0.25, currentDice: 1)))
    }

    @Test func refusesBrokenPayloads() {
        for broken in ["", "{", #"{"model":"m""#, #"{"model":"m","currentDice":0.5}"#, "[]", #"{"model":1,"candidateDice":0,"currentDice":0}"#] {
            #expect(throws: (any Error).self) {
                try LedgerEvent.decode(type: "ModelRejected", schema: 1, payload: Data(broken.utf8))
            }
        }
        #expect(throws: LedgerError.unknownEvent(type: "Nope", schema: 1)) {
            try LedgerEvent.decode(type: "Nope", schema: 1, payload: Data("{}".utf8))
        }
    }

    @Test func nonFiniteDoublesAreRefused() {
        let event = LedgerEvent.modelRejected(ModelRejected(model: "m", candidateDice: .nan, currentDice: .infinity))
        #expect(throws: (any Error).self) { try event.encodedPayload() }
    }
}

extension LedgerEvent: CustomTestStringConvertible {
    public var testDescription: String { "\(kind.rawValue) \((try? encodedPayload())?.prefix(60) ?? "")" }
}

@Suite struct OldPayloadTests {
    /// Logs written before `disagreement` existed still decode, with none.
    @Test func aCorrectionWithoutDisagreementDecodes() throws {
        let json = #"{"annotator":"ah","image":"i","mask":"m","nonBinaryPixels":0,"originalName":"x.png","source":"s","vesselPixels":3}"#
        let event = try LedgerEvent.decode(type: "CorrectionAccepted", schema: 1, payload: Data(json.utf8))
        guard case .correctionAccepted(let accepted) = event else { Issue.record("\(event)"); return }
        #expect(accepted.disagreement == nil)
        #expect(accepted.annotator == "ah")
        #expect(try event.encodedPayload() == json, "and encode to the same bytes")
    }
}
