import Foundation

/// Every fact Loupe records. The case name is the stored `type`; `schema` versions the payload
/// so an old log still decodes after a payload changes.
public enum LedgerEvent: Sendable, Equatable {
    case imageIngested(ImageIngested)
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

    public static let allTypes = [
        "ImageIngested", "ImageRejected", "CorrectionRejected", "PredictionMade", "CorrectionAccepted",
        "TrainingStarted", "ModelTrained", "TrainingFailed", "TrainingAborted", "ModelPromoted",
        "ModelRejected", "DaemonStarted", "DaemonStopped",
    ]

    public var type: String {
        switch self {
        case .imageIngested: "ImageIngested"
        case .imageRejected: "ImageRejected"
        case .correctionRejected: "CorrectionRejected"
        case .predictionMade: "PredictionMade"
        case .correctionAccepted: "CorrectionAccepted"
        case .trainingStarted: "TrainingStarted"
        case .modelTrained: "ModelTrained"
        case .trainingFailed: "TrainingFailed"
        case .trainingAborted: "TrainingAborted"
        case .modelPromoted: "ModelPromoted"
        case .modelRejected: "ModelRejected"
        case .daemonStarted: "DaemonStarted"
        case .daemonStopped: "DaemonStopped"
        }
    }

    public var schema: Int { 1 }

    /// Canonical JSON: sorted keys, so the same event always hashes the same.
    public func encodedPayload() throws -> String {
        let encoder = PayloadCoding.encoder
        let data: Data
        switch self {
        case .imageIngested(let p): data = try encoder.encode(p)
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
        }
        return String(decoding: data, as: UTF8.self)
    }

    public static func decode(type: String, schema: Int, payload: Data) throws -> LedgerEvent {
        guard schema == 1 else { throw LedgerError.unknownEvent(type: type, schema: schema) }
        let decoder = PayloadCoding.decoder
        switch type {
        case "ImageIngested": return .imageIngested(try decoder.decode(ImageIngested.self, from: payload))
        case "ImageRejected": return .imageRejected(try decoder.decode(FileRejected.self, from: payload))
        case "CorrectionRejected": return .correctionRejected(try decoder.decode(FileRejected.self, from: payload))
        case "PredictionMade": return .predictionMade(try decoder.decode(PredictionMade.self, from: payload))
        case "CorrectionAccepted": return .correctionAccepted(try decoder.decode(CorrectionAccepted.self, from: payload))
        case "TrainingStarted": return .trainingStarted(try decoder.decode(TrainingStarted.self, from: payload))
        case "ModelTrained": return .modelTrained(try decoder.decode(ModelTrained.self, from: payload))
        case "TrainingFailed": return .trainingFailed(try decoder.decode(TrainingEnded.self, from: payload))
        case "TrainingAborted": return .trainingAborted(try decoder.decode(TrainingEnded.self, from: payload))
        case "ModelPromoted": return .modelPromoted(try decoder.decode(ModelPromoted.self, from: payload))
        case "ModelRejected": return .modelRejected(try decoder.decode(ModelRejected.self, from: payload))
        case "DaemonStarted": return .daemonStarted(try decoder.decode(DaemonStarted.self, from: payload))
        case "DaemonStopped": return .daemonStopped(try decoder.decode(DaemonStopped.self, from: payload))
        default: throw LedgerError.unknownEvent(type: type, schema: schema)
        }
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
