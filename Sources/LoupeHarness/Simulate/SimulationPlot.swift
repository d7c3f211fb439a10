import Foundation

/// An SVG of one or more runs against the number of corrections made: F1 of the pending
/// predictions (solid) and the share of vessel pixels the expert had to fix on the next images
/// (dashed), one colour per run. Effort is drawn where its batch was taken, so both curves at
/// one x describe the same model: at 0, no model, and the expert draws from scratch.
struct SimulationPlot {
    let runs: [SimulationReport]

    private let width = 860.0, height = 500.0
    private let left = 70.0, right = 250.0, top = 56.0, bottom = 62.0
    private static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

    var svg: String {
        let maxCorrections = max(2, runs.map(\.images).max() ?? 2)
        let xStep = Self.tickStep(for: maxCorrections)
        let xMax = Double((maxCorrections + xStep - 1) / xStep * xStep)
        // Effort can pass 1: a poor prediction may need more pixels fixed than there are vessels.
        let highest = runs.flatMap(\.rounds).map(\.effortShare).max() ?? 1
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
        parts.append(#"<text transform="translate(20 \#(top + plotHeight / 2)) rotate(-90)" text-anchor="middle">F1 of pending predictions · share of vessel pixels to fix</text>"#)

        for (index, run) in runs.enumerated() {
            let colour = Self.colours[index % Self.colours.count]
            let f1 = run.rounds.compactMap { round in round.meanF1.map { (Double(round.corrections), $0) } }
            let effort = run.rounds.map { (Double($0.corrections - $0.corrected.count), $0.effortShare) }
            parts.append(polyline(f1.map { (x($0.0), y($0.1)) }, colour: colour, dashed: false))
            parts.append(polyline(effort.map { (x($0.0), y($0.1)) }, colour: colour, dashed: true))
            let legendX = left + plotWidth + 18, legendY = top + 6 + Double(index) * 70
            parts.append(#"<text x="\#(legendX)" y="\#(legendY + 4)" font-weight="bold" fill="\#(colour)">\#(Self.escape(label(of: run)))</text>"#)
            for (offset, (text, dashed)) in [("F1 of pending", false), ("pixels to fix, next batch", true)].enumerated() {
                let lineY = legendY + 22 + Double(offset) * 20
                let dash = dashed ? #" stroke-dasharray="7 4""# : ""
                parts.append(#"<line x1="\#(legendX)" x2="\#(legendX + 30)" y1="\#(lineY)" y2="\#(lineY)" stroke="\#(colour)" stroke-width="2.5"\#(dash)/>"#)
                parts.append(#"<text x="\#(legendX + 38)" y="\#(lineY + 4)">\#(text)</text>"#)
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    private var title: String {
        let datasets = Set(runs.map { URL(fileURLWithPath: $0.dataset).lastPathComponent }).sorted().joined(separator: ", ")
        let annotators = Set(runs.map(\.annotator)).sorted().joined(separator: ", ")
        return "Simulated expert on \(datasets), labels \(annotators)"
    }

    /// The strategy, and the lab when two runs share a strategy.
    private func label(of run: SimulationReport) -> String {
        let shared = runs.filter { $0.strategy == run.strategy }.count > 1
        return shared ? "\(run.strategy) (\(URL(fileURLWithPath: run.lab).lastPathComponent))" : run.strategy
    }

    private func polyline(_ points: [(Double, Double)], colour: String, dashed: Bool) -> String {
        let line = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
        let dash = dashed ? #" stroke-dasharray="7 4""# : ""
        let markers = points.map { point in
            dashed
                ? #"<rect x="\#(Self.number(point.0 - 3))" y="\#(Self.number(point.1 - 3))" width="6" height="6" fill="white" stroke="\#(colour)" stroke-width="1.5"/>"#
                : #"<circle cx="\#(Self.number(point.0))" cy="\#(Self.number(point.1))" r="3.5" fill="\#(colour)"/>"#
        }
        return ([#"<polyline points="\#(line)" fill="none" stroke="\#(colour)" stroke-width="2.5"\#(dash)/>"#] + markers).joined(separator: "\n")
    }

    /// 1, 2, 5, 10, ... so that the axis has at most about ten ticks.
    private static func tickStep(for maximum: Int) -> Int {
        for step in [1, 2, 5, 10, 20, 50, 100, 200, 500] where maximum / step <= 10 { return step }
        return max(1, maximum / 10)
    }

    private static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
