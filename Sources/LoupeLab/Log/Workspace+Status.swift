import LoupeLedger

/// What `loupe status` shows of a lab, from its projections.
package struct LabStatus: Sendable, Codable {
    package struct LastEvent: Sendable, Codable {
        package var seq: Int
        package var type: String
        package var at: String
    }

    package var lab: String
    package var images: [String: Int]
    package var currentModel: ModelRecord?
    package var lastEvent: LastEvent?
    package var rejected: Int
    package var runs: Int
    /// Every correction not learnt from yet, those of failed trainings included.
    package var correctionsAwaitingTraining: Int
    /// The operator's standing decisions: paused, pinned model, a training requested.
    package var controls: TrainingControls
}

/// One image's whole story, for `loupe history`.
package struct ImageHistory: Sendable {
    package var image: ImageRecord
    /// Every name it was dropped under, first one first.
    package var names: [String]
    /// Its own events, the trainings that learnt from its masks and the fate of their models.
    package var events: [EventRow]
    /// The models that predicted it or that a correction of it started from.
    package var models: [ModelRecord]
}

package enum LookupError: Error, Equatable, CustomStringConvertible {
    case noImage(String)
    case ambiguous(String, [String])
    case noObject(String)

    package var description: String {
        switch self {
        case .noImage(let key): "no image matches '\(key)'"
        case .ambiguous(let key, let names): "'\(key)' matches \(names.count) images: \(names.joined(separator: ", "))"
        case .noObject(let sha): "no object '\(EventRow.printable(String(sha.prefix(80))))' in objects/"
        }
    }
}

extension Workspace {
    package func status() throws -> LabStatus {
        let counts = try projections.countsByState()
        let head = try ledger.head().seq
        let last = try ledger.events(after: max(0, head - 1)).last
        return LabStatus(
            lab: root,
            images: Dictionary(uniqueKeysWithValues: ImageState.allCases.map { ($0.rawValue, counts[$0] ?? 0) }),
            currentModel: try projections.currentModel(),
            lastEvent: last.map { LabStatus.LastEvent(seq: $0.seq, type: $0.type, at: $0.at) },
            rejected: try projections.rejected().count,
            runs: try projections.runs().count,
            correctionsAwaitingTraining: try trainingNeed().untrainedCorrections,
            controls: try controls()
        )
    }

    /// The image named by its original name, stem (im0001) or SHA-256 prefix.
    package func image(named key: String) throws -> ImageRecord {
        var found = try projections.images(stem: key)
        if found.isEmpty { found = try projections.images(shaPrefix: key) }
        guard found.count == 1, let record = found.first else {
            throw found.isEmpty ? LookupError.noImage(key) : LookupError.ambiguous(key, found.map(\.name))
        }
        return record
    }

    package func history(of key: String) throws -> ImageHistory {
        let record = try image(named: key)
        let rows = try ledger.history(ofImage: record.sha)
        let involved = Set(rows.compactMap { row -> String? in
            switch try? row.decoded() {
            case .predictionMade(let e): e.model
            case .correctionAccepted(let e): e.basedOnModel
            default: nil
            }
        })
        let models = try projections.models().filter { involved.contains($0.sha) }.sorted { $0.sha < $1.sha }
        return ImageHistory(image: record, names: try projections.names(of: record.sha), events: rows, models: models)
    }

    package func models() throws -> [ModelRecord] {
        try projections.models()
    }

    package func images(state: ImageState? = nil) throws -> [ImageRecord] {
        try projections.images(state: state)
    }

    package func currentModel() throws -> ModelRecord? {
        try projections.currentModel()
    }
}
