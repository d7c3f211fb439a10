import Foundation

extension SimulationReport {
    /// One line per round: the numbers a reader compares between strategies.
    var table: String {
        var table = BenchTable(
            "round", "corrections", "model", "training", "val Dice", "pending", "mean F1", "pooled F1", "effort", "train s", "predict s", "round s")
        for round in rounds {
            table.add(
                "\(round.round)", "\(round.corrections)", shortSHA(round.model),
                round.trainings.isEmpty ? "-" : round.trainings.map(\.outcome).joined(separator: ","), Self.format(round.validationDice),
                "\(round.pending.count)", Self.format(round.meanF1), Self.format(round.pooledF1),
                String(format: "%.1f%%", round.effortShare * 100), String(format: "%.0f", Double(round.trainingMs) / 1000),
                String(format: "%.1f", Double(round.predictionMs) / 1000), String(format: "%.0f", round.seconds)
            )
        }
        return table.render()
    }

    private static func format(_ value: Double?) -> String {
        value.map { String(format: "%.3f", $0) } ?? "-"
    }
}
