import Foundation

/// Several runs (seeds) per strategy, round by round: the median and the range of each measure,
/// which is what a comparison of strategies can rest on when one run is one draw of chance.
struct SimulationSummary {
    /// The median and the extremes of one measure over the runs that have it.
    struct Spread: Equatable {
        var median: Double
        var min: Double
        var max: Double

        init?(_ values: [Double]) {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted(), middle = sorted.count / 2
            median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
            min = sorted[0]
            max = sorted[sorted.count - 1]
        }
    }

    /// One strategy after a number of corrections. The measures are of the pending images'
    /// predictions then, i.e. what the next batch would start from, and strokes are per image.
    struct Row {
        var strategy: String
        var corrections: Int
        var runs: Int
        var f1: Spread?
        var centerline: Spread?
        var pixels: Spread?
        var strokes: Spread?
    }

    let rows: [Row]

    init(runs: [SimulationReport]) {
        var rows: [Row] = []
        for strategy in Self.strategies(of: runs) {
            let group = runs.filter { Self.strategy(of: $0) == strategy }
            let corrections = Set(group.flatMap { $0.rounds.map(\.corrections) }).sorted()
            for count in corrections {
                let rounds = group.compactMap { $0.rounds.first { $0.corrections == count } }
                rows.append(Row(
                    strategy: strategy, corrections: count, runs: rounds.count, f1: Spread(rounds.compactMap(\.meanF1)),
                    centerline: Spread(rounds.compactMap(\.pendingCenterlineEffort)), pixels: Spread(rounds.compactMap(\.pendingPixelShare)),
                    strokes: Spread(rounds.compactMap { round in
                        round.pendingStrokes.map { Double($0) / Double(Swift.max(round.pending.count, 1)) }
                    })
                ))
            }
        }
        self.rows = rows
    }

    /// A run's strategy without its seed: "random:2" and "random:3" are one strategy over two seeds.
    static func strategy(of run: SimulationReport) -> String {
        String(run.strategy.prefix { $0 != ":" })
    }

    /// Strategies in the order their first run was given.
    static func strategies(of runs: [SimulationReport]) -> [String] {
        var seen: [String] = []
        for run in runs where !seen.contains(strategy(of: run)) { seen.append(strategy(of: run)) }
        return seen
    }

    var table: String {
        var table = BenchTable("strategy", "corrections", "runs", "F1 pending", "centerline effort", "pixel effort", "strokes per image")
        for row in rows {
            table.add(
                row.strategy, "\(row.corrections)", "\(row.runs)", Self.describe(row.f1, percent: false),
                Self.describe(row.centerline, percent: true), Self.describe(row.pixels, percent: true), Self.describe(row.strokes, percent: false, digits: 0)
            )
        }
        return table.render()
    }

    /// "0.712 (0.690-0.731)": the median, then the range when the runs differ.
    static func describe(_ spread: Spread?, percent: Bool, digits: Int = 3) -> String {
        guard let spread else { return "-" }
        func text(_ value: Double) -> String {
            percent ? String(format: "%.1f%%", value * 100) : String(format: "%.\(digits)f", value)
        }
        return spread.min == spread.max ? text(spread.median) : "\(text(spread.median)) (\(text(spread.min))-\(text(spread.max)))"
    }
}
