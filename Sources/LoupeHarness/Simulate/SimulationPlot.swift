import Foundation

/// An SVG of runs against the number of corrections made, grouped by strategy (the seeds of
/// one strategy together), one colour per strategy: the F1 of the pending predictions (solid)
/// and their centerline effort, the share of the label's centerline an expert would still
/// draw or erase (dashed). Each line is the median over the runs, and a band behind it spans
/// their minimum to maximum. Both measures at one x describe the same predictions.
struct SimulationPlot {
    let runs: [SimulationReport]

    private let width = 860.0, height = 500.0
    private let left = 70.0, right = 250.0, top = 56.0, bottom = 62.0
    private static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

    /// The two measures drawn, by their key in the SVG (`data-measure`) and their legend text.
    private static var measures: [(key: String, legend: String, dashed: Bool, spread: (SimulationSummary.Row) -> SimulationSummary.Spread?)] {
        [("f1", "F1 of pending", false, \.f1), ("centerline", "centerline effort, pending", true, \.centerline)]
    }

    var svg: String {
        let summary = SimulationSummary(runs: runs)
        let maxCorrections = max(2, runs.map(\.images).max() ?? 2)
        let xStep = Self.tickStep(for: maxCorrections)
        let xMax = Double((maxCorrections + xStep - 1) / xStep * xStep)
        // Effort can pass 1: a poor prediction may hold more false centerline than the label has.
        let highest = summary.rows.compactMap(\.centerline?.max).max() ?? 1
        let yMax = max(1, (highest * 5).rounded(.up) / 5)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ value: Double) -> Double { left + value / xMax * plotWidth }
        func y(_ value: Double) -> Double { top + (1 - value / yMax) * plotHeight }

        var parts: [String] = [
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" viewBox="0 0 \#(Int(width)) \#(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="13">"#,
            #"<rect width="100%" height="100%" fill="white"/>"#,
            #"<text x="\#(left)" y="26" font-size="15" font-weight="bold">\#(Self.escape(title))</text>"#,
        ]
        for tick in stride(from: 0.0, through: yMax + 0.0001, by: 0.2) {
            parts.append(##"<line x1="\##(left)" x2="\##(left + plotWidth)" y1="\##(y(tick))" y2="\##(y(tick))" stroke="#e0e0e0"/>"##)
            parts.append(#"<text x="\#(left - 8)" y="\#(y(tick) + 4)" text-anchor="end">\#(String(format: "%.1f", tick))</text>"#)
        }
        for tick in stride(from: 0, through: Int(xMax), by: xStep) {
            parts.append(#"<line x1="\#(x(Double(tick)))" x2="\#(x(Double(tick)))" y1="\#(top + plotHeight)" y2="\#(top + plotHeight + 5)" stroke="black"/>"#)
            parts.append(#"<text x="\#(x(Double(tick)))" y="\#(top + plotHeight + 20)" text-anchor="middle">\#(tick)</text>"#)
        }
        parts.append(#"<rect x="\#(left)" y="\#(top)" width="\#(plotWidth)" height="\#(plotHeight)" fill="none" stroke="black"/>"#)
        parts.append(#"<text x="\#(left + plotWidth / 2)" y="\#(height - 16)" text-anchor="middle">corrections made (images)</text>"#)
        parts.append(#"<text transform="translate(20 \#(top + plotHeight / 2)) rotate(-90)" text-anchor="middle">F1 of pending predictions · centerline effort</text>"#)

        for (index, strategy) in SimulationSummary.strategies(of: runs).enumerated() {
            let colour = Self.colours[index % Self.colours.count]
            let rows = summary.rows.filter { $0.strategy == strategy }
            for measure in Self.measures {
                let points = rows.compactMap { row in measure.spread(row).map { (x(Double(row.corrections)), $0) } }
                guard !points.isEmpty else { continue }
                let band = points.map { (x: $0.0, y: y($0.1.max)) } + points.reversed().map { (x: $0.0, y: y($0.1.min)) }
                let outline = band.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
                parts.append(#"<polygon class="band" data-strategy="\#(Self.escape(strategy))" data-measure="\#(measure.key)" points="\#(outline)" fill="\#(colour)" fill-opacity="0.15" stroke="none"/>"#)
                parts.append(polyline(points.map { ($0.0, y($0.1.median)) }, colour: colour, dashed: measure.dashed, strategy: strategy, measure: measure.key))
            }
            let runCount = runs.filter { SimulationSummary.strategy(of: $0) == strategy }.count
            let legendX = left + plotWidth + 18, legendY = top + 6 + Double(index) * 70
            parts.append(#"<text class="legend" x="\#(legendX)" y="\#(legendY + 4)" font-weight="bold" fill="\#(colour)">\#(Self.escape(strategy)) (\#(runCount) run\#(runCount == 1 ? "" : "s"))</text>"#)
            for (offset, measure) in Self.measures.enumerated() {
                let lineY = legendY + 22 + Double(offset) * 20
                let dash = measure.dashed ? #" stroke-dasharray="7 4""# : ""
                parts.append(#"<line x1="\#(legendX)" x2="\#(legendX + 30)" y1="\#(lineY)" y2="\#(lineY)" stroke="\#(colour)" stroke-width="2.5"\#(dash)/>"#)
                parts.append(#"<text x="\#(legendX + 38)" y="\#(lineY + 4)">\#(measure.legend)</text>"#)
            }
        }
        let note = top + 6 + Double(SimulationSummary.strategies(of: runs).count) * 70
        parts.append(#"<text x="\#(left + plotWidth + 18)" y="\#(note)" font-size="11">lines: median over runs; bands: min-max</text>"#)
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    private var title: String {
        let datasets = Set(runs.map { URL(fileURLWithPath: $0.dataset).lastPathComponent }).sorted().joined(separator: ", ")
        let annotators = Set(runs.map(\.annotator)).sorted().joined(separator: ", ")
        return "Simulated expert on \(datasets), labels \(annotators)"
    }

    private func polyline(_ points: [(Double, Double)], colour: String, dashed: Bool, strategy: String, measure: String) -> String {
        let line = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
        let dash = dashed ? #" stroke-dasharray="7 4""# : ""
        let markers = points.map { point in
            dashed
                ? #"<rect x="\#(Self.number(point.0 - 3))" y="\#(Self.number(point.1 - 3))" width="6" height="6" fill="white" stroke="\#(colour)" stroke-width="1.5"/>"#
                : #"<circle cx="\#(Self.number(point.0))" cy="\#(Self.number(point.1))" r="3.5" fill="\#(colour)"/>"#
        }
        let head = #"<polyline class="median" data-strategy="\#(Self.escape(strategy))" data-measure="\#(measure)" points="\#(line)" fill="none" stroke="\#(colour)" stroke-width="2.5"\#(dash)/>"#
        return ([head] + markers).joined(separator: "\n")
    }

    /// 1, 2, 5, 10, ... so that the axis has at most about ten ticks.
    private static func tickStep(for maximum: Int) -> Int {
        for step in [1, 2, 5, 10, 20, 50, 100, 200, 500] where maximum / step <= 10 { return step }
        return max(1, maximum / 10)
    }

    private static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
