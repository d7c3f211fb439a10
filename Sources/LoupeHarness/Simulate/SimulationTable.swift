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

/// One round at one hint budget: what `loupe simulate --hints --json` prints, and the rows of
/// the hint table. The measures are of the pending images (what the next batch would cost)
/// unless named "corrected".
package struct HintRow: Codable, Equatable {
    package var seed: UInt64?
    var round: Int
    var corrections: Int
    var id = "pooled"
    var budget: Int
    var f1: Double?
    var centerlineEffort: Double
    var clicks: Double
    var strokes: Double
    var minutes: Double
    var correctedMinutes: Double?
    var rejectedTrainings: Int
}

extension SimulationReport {
    package var hintRows: [HintRow] {
        rounds.flatMap { round -> [HintRow] in
            let rejected = round.trainings.filter { $0.outcome == "rejected" }.count
            return (round.pendingHints ?? []).map { pooled in
                HintRow(
                    round: round.round, corrections: round.corrections, budget: pooled.budget, f1: round.pooledF1,
                    centerlineEffort: pooled.centerlineEffort, clicks: pooled.clicks, strokes: pooled.strokes,
                    minutes: pooled.minutes,
                    correctedMinutes: round.correctedHints?.first { $0.budget == pooled.budget && $0.images > 0 }?.minutes,
                    rejectedTrainings: rejected)
            }
        }
    }

    /// Round x hint budget, when the run scored hints.
    package var hintTable: String? {
        let rows = hintRows
        guard !rows.isEmpty else { return nil }
        var table = BenchTable(
            "round", "corrections", "hints", "pending F1", "centerline", "clicks/image", "strokes/image", "minutes/image",
            "corrected min/image", "rejected")
        for row in rows {
            table.add(
                "\(row.round)", "\(row.corrections)", "\(row.budget)", Self.format(row.f1), Self.percent(row.centerlineEffort),
                String(format: "%.1f", row.clicks), String(format: "%.0f", row.strokes), String(format: "%.2f", row.minutes),
                row.correctedMinutes.map { String(format: "%.2f", $0) } ?? "-", "\(row.rejectedTrainings)")
        }
        return table.render()
    }
}
