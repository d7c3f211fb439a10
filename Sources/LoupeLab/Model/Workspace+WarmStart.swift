import Foundation
import LoupeLedger
import LoupeVision

extension Workspace {
    /// The model the next training starts from, or why it starts cold although the settings
    /// ask for a warm start: weights of another architecture (`model` changed in loupe.json)
    /// cannot seed the configured one, and a training that fails on them would leave its
    /// corrections untrained.
    func warmStart(from current: ModelRecord?) throws -> (model: String?, coldStart: String?) {
        guard settings.retrain.warmStart, let current else { return (nil, nil) }
        guard let started = try trainingStarted(run: current.run),
              let recorded = try? JSONDecoder().decode(RecordedConfig.self, from: Data(started.config.utf8)),
              recorded.model != settings.model else { return (current.sha, nil) }
        let sha = EventRow.short(current.sha)
        return (nil, "the serving model \(sha) has another architecture (\(Self.describe(recorded.model))) than loupe.json's model (\(Self.describe(settings.model)))")
    }

    private static func describe(_ model: ModelConfig) -> String {
        "channels \(model.channels), bottleneck \(model.bottleneck), \(model.input), \(model.normalization)"
    }

    /// The TrainingStarted of `run`, if it was recorded.
    func trainingStarted(run: Int) throws -> TrainingStarted? {
        var found: TrainingStarted?
        try ledger.forEachEvent(type: .trainingStarted) { row in
            if case .trainingStarted(let e) = try row.decoded(), e.run == run { found = e }
        }
        return found
    }
}
