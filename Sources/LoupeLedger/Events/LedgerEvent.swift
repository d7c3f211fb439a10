import Foundation

/// Every fact Loupe records. The case name is the stored `type`; `schema` versions the payload
/// so an old log still decodes after a payload changes.
package enum LedgerEvent: Sendable, Equatable {
    case imageIngested(ImageIngested)
    case imageNamed(ImageNamed)
    case imageRejected(FileRejected)
    case correctionRejected(FileRejected)
    case predictionMade(PredictionMade)
    case correctionAccepted(CorrectionAccepted)
    case trainingStarted(TrainingStarted)
    case modelTrained(ModelTrained)
    case trainingFailed(TrainingEnded)
    case trainingAborted(TrainingEnded)
    case modelPromoted(ModelPromoted)
    case modelRejected(ModelRejected)
    case daemonStarted(DaemonStarted)
    case daemonStopped(DaemonStopped)
    case annotatorAdded(AnnotatorAdded)
    case trainingRequested(OperatorAction)
    case trainingPaused(OperatorAction)
    case trainingResumed(OperatorAction)
    case modelPinned(ModelPin)
    case modelUnpinned(ModelPin)
    case labelStudioTaskLinked(LabelStudioTaskLinked)
    case imageSkipped(ImageSetAside)
    case imageFlagged(ImageSetAside)
    case imageRestored(ImageSetAside)
    case imageCommented(ImageComment)
    case correctionApproved(CorrectionReview)
    case correctionSentBack(CorrectionReview)
    case loginCodeIssued(LoginCodeIssued)
    case loginCodeRedeemed(LoginCodeRedeemed)

    package var kind: EventKind {
        switch self {
        case .imageIngested: .imageIngested
        case .imageNamed: .imageNamed
        case .imageRejected: .imageRejected
        case .correctionRejected: .correctionRejected
        case .predictionMade: .predictionMade
        case .correctionAccepted: .correctionAccepted
        case .trainingStarted: .trainingStarted
        case .modelTrained: .modelTrained
        case .trainingFailed: .trainingFailed
        case .trainingAborted: .trainingAborted
        case .modelPromoted: .modelPromoted
        case .modelRejected: .modelRejected
        case .daemonStarted: .daemonStarted
        case .daemonStopped: .daemonStopped
        case .annotatorAdded: .annotatorAdded
        case .trainingRequested: .trainingRequested
        case .trainingPaused: .trainingPaused
        case .trainingResumed: .trainingResumed
        case .modelPinned: .modelPinned
        case .modelUnpinned: .modelUnpinned
        case .labelStudioTaskLinked: .labelStudioTaskLinked
        case .imageSkipped: .imageSkipped
        case .imageFlagged: .imageFlagged
        case .imageRestored: .imageRestored
        case .imageCommented: .imageCommented
        case .correctionApproved: .correctionApproved
        case .correctionSentBack: .correctionSentBack
        case .loginCodeIssued: .loginCodeIssued
        case .loginCodeRedeemed: .loginCodeRedeemed
        }
    }

    package var schema: Int { 1 }

    /// Canonical JSON: sorted keys, so the same event always hashes the same.
    package func encodedPayload() throws -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        try encodePayload(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the canonical JSON payload to `out` (the append path reuses one buffer).
    func encodePayload(into out: inout [UInt8]) throws {
        switch self {
        case .imageIngested(let p): try Self.encode(p, into: &out)
        case .imageNamed(let p): try Self.encode(p, into: &out)
        case .imageRejected(let p), .correctionRejected(let p): try Self.encode(p, into: &out)
        case .predictionMade(let p): try Self.encode(p, into: &out)
        case .correctionAccepted(let p): try Self.encode(p, into: &out)
        case .trainingStarted(let p): try Self.encode(p, into: &out)
        case .modelTrained(let p): try Self.encode(p, into: &out)
        case .trainingFailed(let p), .trainingAborted(let p): try Self.encode(p, into: &out)
        case .modelPromoted(let p): try Self.encode(p, into: &out)
        case .modelRejected(let p): try Self.encode(p, into: &out)
        case .daemonStarted(let p): try Self.encode(p, into: &out)
        case .daemonStopped(let p): try Self.encode(p, into: &out)
        case .annotatorAdded(let p): try Self.encode(p, into: &out)
        case .trainingRequested(let p), .trainingPaused(let p), .trainingResumed(let p): try Self.encode(p, into: &out)
        case .modelPinned(let p), .modelUnpinned(let p): try Self.encode(p, into: &out)
        case .labelStudioTaskLinked(let p): try Self.encode(p, into: &out)
        case .imageSkipped(let p), .imageFlagged(let p), .imageRestored(let p): try Self.encode(p, into: &out)
        case .imageCommented(let p): try Self.encode(p, into: &out)
        case .correctionApproved(let p), .correctionSentBack(let p): try Self.encode(p, into: &out)
        case .loginCodeIssued(let p): try Self.encode(p, into: &out)
        case .loginCodeRedeemed(let p): try Self.encode(p, into: &out)
        }
    }

    private static func encode<T: Encodable>(_ payload: T, into out: inout [UInt8]) throws {
        do {
            try CanonicalJSON.encode(payload, into: &out)
        } catch is CanonicalJSON.Unsupported {
            out.append(contentsOf: try PayloadCoding.encoder.encode(payload))
        }
    }

    static func decode(type: String, schema: Int, payload: Data) throws -> LedgerEvent {
        guard let kind = EventKind(rawValue: type) else { throw LedgerError.unknownEvent(type: type, schema: schema) }
        return try payload.withUnsafeBytes { try decode(kind, schema: schema, payload: $0) }
    }

    /// Decodes a payload in place (replay and verify read it straight from SQLite's row).
    static func decode(_ kind: EventKind, schema: Int, payload: UnsafeRawBufferPointer) throws -> LedgerEvent {
        guard schema == 1 else { throw LedgerError.unknownEvent(type: kind.rawValue, schema: schema) }
        switch kind {
        case .imageIngested: return .imageIngested(try decode(ImageIngested.self, payload))
        case .imageNamed: return .imageNamed(try decode(ImageNamed.self, payload))
        case .imageRejected: return .imageRejected(try decode(FileRejected.self, payload))
        case .correctionRejected: return .correctionRejected(try decode(FileRejected.self, payload))
        case .predictionMade: return .predictionMade(try decode(PredictionMade.self, payload))
        case .correctionAccepted: return .correctionAccepted(try decode(CorrectionAccepted.self, payload))
        case .trainingStarted: return .trainingStarted(try decode(TrainingStarted.self, payload))
        case .modelTrained: return .modelTrained(try decode(ModelTrained.self, payload))
        case .trainingFailed: return .trainingFailed(try decode(TrainingEnded.self, payload))
        case .trainingAborted: return .trainingAborted(try decode(TrainingEnded.self, payload))
        case .modelPromoted: return .modelPromoted(try decode(ModelPromoted.self, payload))
        case .modelRejected: return .modelRejected(try decode(ModelRejected.self, payload))
        case .daemonStarted: return .daemonStarted(try decode(DaemonStarted.self, payload))
        case .daemonStopped: return .daemonStopped(try decode(DaemonStopped.self, payload))
        case .annotatorAdded: return .annotatorAdded(try decode(AnnotatorAdded.self, payload))
        case .trainingRequested: return .trainingRequested(try decode(OperatorAction.self, payload))
        case .trainingPaused: return .trainingPaused(try decode(OperatorAction.self, payload))
        case .trainingResumed: return .trainingResumed(try decode(OperatorAction.self, payload))
        case .modelPinned: return .modelPinned(try decode(ModelPin.self, payload))
        case .modelUnpinned: return .modelUnpinned(try decode(ModelPin.self, payload))
        case .labelStudioTaskLinked: return .labelStudioTaskLinked(try decode(LabelStudioTaskLinked.self, payload))
        case .imageSkipped: return .imageSkipped(try decode(ImageSetAside.self, payload))
        case .imageFlagged: return .imageFlagged(try decode(ImageSetAside.self, payload))
        case .imageRestored: return .imageRestored(try decode(ImageSetAside.self, payload))
        case .imageCommented: return .imageCommented(try decode(ImageComment.self, payload))
        case .correctionApproved: return .correctionApproved(try decode(CorrectionReview.self, payload))
        case .correctionSentBack: return .correctionSentBack(try decode(CorrectionReview.self, payload))
        case .loginCodeIssued: return .loginCodeIssued(try decode(LoginCodeIssued.self, payload))
        case .loginCodeRedeemed: return .loginCodeRedeemed(try decode(LoginCodeRedeemed.self, payload))
        }
    }

    /// The fast decoder first; on anything it refuses, JSONDecoder (which also gives the error).
    private static func decode<T: Decodable>(_ type: T.Type, _ payload: UnsafeRawBufferPointer) throws -> T {
        if let value = try? CanonicalJSONDecoding.decode(T.self, from: payload) { return value }
        return try PayloadCoding.decoder.decode(T.self, from: Data(payload))
    }
}

/// The stored `type` column: the one place an event type is named.
package enum EventKind: String, CaseIterable, Sendable, Codable {
    case imageIngested = "ImageIngested"
    case imageNamed = "ImageNamed"
    case imageRejected = "ImageRejected"
    case correctionRejected = "CorrectionRejected"
    case predictionMade = "PredictionMade"
    case correctionAccepted = "CorrectionAccepted"
    case trainingStarted = "TrainingStarted"
    case modelTrained = "ModelTrained"
    case trainingFailed = "TrainingFailed"
    case trainingAborted = "TrainingAborted"
    case modelPromoted = "ModelPromoted"
    case modelRejected = "ModelRejected"
    case daemonStarted = "DaemonStarted"
    case daemonStopped = "DaemonStopped"
    case annotatorAdded = "AnnotatorAdded"
    case trainingRequested = "TrainingRequested"
    case trainingPaused = "TrainingPaused"
    case trainingResumed = "TrainingResumed"
    case modelPinned = "ModelPinned"
    case modelUnpinned = "ModelUnpinned"
    case labelStudioTaskLinked = "LabelStudioTaskLinked"
    case imageSkipped = "ImageSkipped"
    case imageFlagged = "ImageFlagged"
    case imageRestored = "ImageRestored"
    case imageCommented = "ImageCommented"
    case correctionApproved = "CorrectionApproved"
    case correctionSentBack = "CorrectionSentBack"
    case loginCodeIssued = "LoginCodeIssued"
    case loginCodeRedeemed = "LoginCodeRedeemed"

    private static let names: [[UInt8]] = allCases.map { Array($0.rawValue.utf8) }

    /// Matches a column's bytes without making a String per row.
    init?(utf8 type: UnsafeRawBufferPointer) {
        for (index, name) in Self.names.enumerated() where name.count == type.count {
            if name.withUnsafeBytes({ memcmp($0.baseAddress!, type.baseAddress!, type.count) }) == 0 {
                self = Self.allCases[index]
                return
            }
        }
        return nil
    }
}

enum PayloadCoding {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static var decoder: JSONDecoder { JSONDecoder() }
}
