import Foundation
import LoupeLab

extension SimulationReport {
    /// One line per round: the numbers a reader compares between strategies.
    package var table: String {
        var table = BenchTable(
            "round", "corrections", "model", "training", "val Dice", "pending", "mean F1", "pooled F1", "effort", "centerline", "strokes",
            "pending centerline", "pending pixels", "pending strokes", "train s", "predict s", "round s")
        for round in rounds {
            table.add(
                "\(round.round)", "\(round.corrections)", EventRow.short(round.model),
                round.trainings.isEmpty ? "-" : round.trainings.map(Self.describe).joined(separator: ", "), Self.format(round.validationDice),
                "\(round.pending.count)", Self.format(round.meanF1), Self.format(round.pooledF1),
                String(format: "%.1f%%", round.effortShare * 100), Self.percent(round.centerlineEffort), round.strokes.map(String.init) ?? "-",
                Self.percent(round.pendingCenterlineEffort), Self.percent(round.pendingPixelShare), round.pendingStrokes.map(String.init) ?? "-",
                String(format: "%.0f", Double(round.trainingMs) / 1000),
                String(format: "%.1f", Double(round.predictionMs) / 1000), String(format: "%.0f", round.seconds)
            )
        }
        return table.render()
    }

    /// "promoted, 2 ep": the epochs matter when the budget is in minutes on a shared machine.
    private static func describe(_ training: RoundTraining) -> String {
        training.epochs.map { "\(training.outcome), \($0) ep" } ?? training.outcome
    }

    static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
    }

    static func format(_ value: Double?) -> String {
        value.map { String(format: "%.3f", $0) } ?? "-"
    }
}
