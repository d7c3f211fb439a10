import Foundation
import LoupeLab
import LoupeVision
import Testing
@testable import LoupeHarness

/// Several runs per strategy: seeds parsed, grouped, summarised by median and range, plotted as
/// bands; and simulate.json files from before the centerline measures still read.
@Suite struct SimulationSummaryTests {
    /// A run whose rounds after 2, 4, ... corrections have these F1 and centerline efforts.
    static func run(_ strategy: String, f1: [Double], centerline: [Double?]) -> SimulationReport {
        var report = SimulationReport(
            dataset: "/data/stare", annotator: "ah", fov: "masks-fov", strategy: strategy, initial: 2, batch: 2,
            lab: "/tmp/\(strategy)", settings: .init(), images: 6
        )
        report.rounds = f1.indices.map { index in
            SimulationRound(
                round: index + 1, corrections: 2 * (index + 1), corrected: [], model: nil, validationDice: nil, trainings: [],
                trainingMs: 0, predictions: 0, predictionMs: 0, seconds: 0, pending: [], meanF1: f1[index], pooledF1: f1[index],
                effortShare: 1 - f1[index], pendingCenterlineEffort: centerline[index], pendingPixelShare: 0.4, pendingStrokes: 10 * (index + 1)
            )
        }
        return report
    }

    @Test func seedsParseAndHostileListsAreRefusedByName() throws {
        #expect(try SimulationSeeds.parse("1,2,3") == [1, 2, 3])
        #expect(try SimulationSeeds.parse(" 7 , 0") == [7, 0])
        #expect(try SimulationSeeds.parse("18446744073709551615") == [UInt64.max])
        let cases: [(String, String)] = [
            ("", "--seeds is empty; give seeds like 1,2,3"),
            ("  ", "--seeds is empty; give seeds like 1,2,3"),
            ("1,,2", "--seeds '1,,2' has an empty entry; give seeds like 1,2,3"),
            ("a,b", "seed 'a' is not a whole number from 0 to 18446744073709551615"),
            ("-1", "seed -1 is negative; seeds are 0 to 18446744073709551615"),
            ("1.5", "seed '1.5' is not a whole number from 0 to 18446744073709551615"),
            ("18446744073709551616", "seed '18446744073709551616' is not a whole number from 0 to 18446744073709551615"),
            ("2,3,2", "seed 2 is given twice in --seeds"),
            ((1...21).map(String.init).joined(separator: ","), "--seeds lists 21 seeds; at most 20, each is a whole simulation"),
            (String(repeating: "1,", count: 100_000), "--seeds lists 100001 seeds; at most 20, each is a whole simulation"),
        ]
        for (text, message) in cases {
            let error = #expect(throws: HarnessError.self) { try SimulationSeeds.parse(text) }
            #expect(error?.description == message, "for '\(text.prefix(40))'")
        }
        #expect(SimulationSeeds.folder("/labs/unc", seed: 3) == "/labs/unc/seed-3")
    }

    @Test func theSummaryGroupsSeedsOfAStrategyAndGivesMedianAndRange() {
        let runs = [
            Self.run("uncertainty", f1: [0.5, 0.7], centerline: [0.20, 0.10]),
            Self.run("random:1", f1: [0.4, 0.6], centerline: [0.30, 0.12]),
            Self.run("uncertainty", f1: [0.6, 0.8], centerline: [0.16, 0.08]),
            Self.run("random:2", f1: [0.2, 0.5], centerline: [0.50, nil]),
            Self.run("uncertainty", f1: [0.4, 0.9], centerline: [0.18, 0.06]),
        ]
        let summary = SimulationSummary(runs: runs)
        #expect(summary.rows.map(\.strategy) == ["uncertainty", "uncertainty", "random", "random"])
        #expect(summary.rows.map(\.corrections) == [2, 4, 2, 4])
        #expect(summary.rows.map(\.runs) == [3, 3, 2, 2])
        #expect(summary.rows[0].f1 == SimulationSummary.Spread([0.4, 0.5, 0.6]))
        #expect(summary.rows[0].f1?.median == 0.5 && summary.rows[0].f1?.min == 0.4 && summary.rows[0].f1?.max == 0.6)
        #expect(summary.rows[1].centerline?.median == 0.08)
        #expect(abs((summary.rows[2].centerline?.median ?? 0) - 0.4) < 1e-12, "an even count takes the mean of the middle two")
        #expect(summary.rows[3].centerline == SimulationSummary.Spread([0.12]), "a run without the measure is left out")
        #expect(summary.rows[0].strokes?.median == 10, "strokes per pending image; no pending image counts as one")
        #expect(SimulationSummary.Spread([]) == nil)
        let table = summary.table
        #expect(table.contains("uncertainty") && table.contains("8.0% (6.0%-10.0%)") && table.contains("0.500 (0.400-0.600)"))
    }

    @Test func thePlotDrawsABandAndAMedianPerStrategyAndMeasureWithALegendEntryEach() throws {
        let runs = [
            Self.run("uncertainty", f1: [0.5, 0.7], centerline: [0.2, 0.1]),
            Self.run("uncertainty", f1: [0.6, 0.8], centerline: [0.4, 0.3]),
            Self.run("random:1", f1: [0.4, 0.6], centerline: [0.3, 0.2]),
            Self.run("fifo", f1: [0.3, 0.5], centerline: [0.5, 0.4]),
        ]
        let svg = SimulationPlot(runs: runs).svg
        let legends = svg.components(separatedBy: "\n").filter { $0.contains(#"class="legend""#) }
        #expect(legends.count == 3)
        #expect(svg.contains(">uncertainty (2 runs)</text>") && svg.contains(">random (1 run)</text>") && svg.contains(">fifo (1 run)</text>"))
        for strategy in ["uncertainty", "random", "fifo"] {
            for measure in ["f1", "centerline"] {
                #expect(svg.components(separatedBy: #"class="band" data-strategy="\#(strategy)" data-measure="\#(measure)""#).count == 2)
                #expect(svg.components(separatedBy: #"class="median" data-strategy="\#(strategy)" data-measure="\#(measure)""#).count == 2)
            }
        }
        // The uncertainty band spans F1 0.5-0.6 at 2 corrections: on a 0-1 axis 382 px tall from y = 56,
        // its top is at 56 + 0.4 · 382 = 208.8 and its bottom at 56 + 0.5 · 382 = 247.
        let band = try #require(svg.components(separatedBy: "\n").first { $0.contains(#"data-strategy="uncertainty" data-measure="f1""#) && $0.contains("polygon") })
        #expect(band.contains(",208.8 ") && band.contains(",247.0\""), "\(band)")
        let median = try #require(svg.components(separatedBy: "\n").first { $0.contains(#"class="median" data-strategy="uncertainty" data-measure="f1""#) })
        #expect(median.contains(",227.9 "), "the median 0.55 of two runs: \(median)")
    }

    @Test func aSimulateJSONWrittenBeforeCenterlineMeasuresStillReads() throws {
        let old = """
            {"annotator": "ah", "batch": 2, "complete": true, "dataset": "/d", "fov": "masks-fov", "images": 4, "initial": 2, "lab": "/l",
             "settings": {}, "strategy": "uncertainty", "rounds": [{"round": 1, "corrections": 2, "corrected": [{"id": "a", "image": "s",
             "pixelsToFix": 5, "vesselPixels": 5, "share": 1}], "trainings": [], "trainingMs": 0, "predictions": 2, "predictionMs": 3,
             "seconds": 1, "pending": [{"id": "b", "f1": 0.5, "sensitivity": 0.5, "specificity": 0.9, "accuracy": 0.8, "truePositives": 1,
             "falsePositives": 1, "trueNegatives": 5, "falseNegatives": 1}], "meanF1": 0.5, "pooledF1": 0.5, "effortShare": 1}]}
            """
        let report = try JSONDecoder().decode(SimulationReport.self, from: Data(old.utf8))
        #expect(report.rounds.count == 1)
        #expect(report.rounds[0].pendingCenterlineEffort == nil && report.rounds[0].corrected[0].centerline == nil)
        #expect(report.table.contains("100.0%"))
        #expect(SimulationSummary(runs: [report]).rows[0].centerline == nil)
    }

    @Test func aSeededLabStartsFromTheTemplateAndTakesTheSeedForTrainingAndRandomOrder() throws {
        let parent = try HarnessTests.folder()
        try Data(#"{"training": {"epochs": 4}}"#.utf8).write(to: URL(fileURLWithPath: "\(parent)/loupe.json"))
        let lab = SimulationSeeds.folder(parent, seed: 3)
        let settings = try SimulationFiles.prepareLab(lab, strategy: .random(seed: 0), seed: 3, template: "\(parent)/loupe.json")
        #expect(settings.training.budget == .epochs(4))
        #expect(settings.training.seed == 3 && settings.queueStrategy == .random(seed: 3))
        #expect(try Workspace(at: lab).settings == settings)
        let other = try SimulationFiles.prepareLab("\(parent)/seed-4", strategy: .uncertainty, seed: 4, template: "\(parent)/loupe.json")
        #expect(other.queueStrategy == .uncertainty && other.training.seed == 4)
    }
}
