import Foundation
import LoupeLab

/// What a promotion does to the re-prediction sweep over a large lab, for `loupe bench scale`:
/// a second model promoted while the first one's sweep is still running must reach the head of
/// the annotation queue within seconds, and the first sweep must stop.
struct PromotionSweep {
    /// The images an annotator opens next: they must carry the newest model's prediction.
    static let queueHead = Workspace.queueHead
    /// Predictions by the first model before the second model's corrections are dropped: its
    /// predictions fill the queue's head, and the second promotion meets a sweep under way.
    static let sweptBeforeSecond = 5 * queueHead
    /// Longest wait for the queue's head before it is reported as not reached.
    static let headLimit: TimeInterval = 300

    struct Promoted {
        var model: String
        var seq: Int
        var at: Date
    }

    let lab: String
    let size: Int
    let daemon: DaemonProcess

    /// Drops masks for the images `s<index>.png` into corrections/ and waits for the
    /// `number`th ModelPromoted; a rejected model ends the benchmark, since nothing would follow.
    func correctAndAwaitPromotion(images: Range<Int>, number: Int) throws -> Promoted {
        for index in images {
            try SyntheticDrop.write(index: index, size: size, mask: true, to: "\(lab)/corrections/s\(index).png")
        }
        try daemon.waitFor(limit: 1800, every: 0.1) { lab in
            if let rejected = try lab.events(type: .modelRejected).first {
                throw HarnessError("a model was not promoted: \(rejected.summary)")
            }
            return try lab.events(type: .modelPromoted).count >= number
        }
        let row = try daemon.workspace().events(type: .modelPromoted)[number - 1]
        guard case .modelPromoted(let promoted) = try row.decoded(), let at = row.date else {
            throw HarnessError("unreadable ModelPromoted at seq \(row.seq)")
        }
        return Promoted(model: promoted.model, seq: row.seq, at: at)
    }

    /// Waits until the serving model has predicted `count` images, so that the queue's head
    /// holds its predictions and its sweep is under way.
    func awaitSweep(of model: String, count: Int) throws {
        try daemon.waitFor(limit: 1800, every: 0.2) { lab in
            var predicted = 0
            try lab.forEachEvent(type: .predictionMade) { row in
                if case .predictionMade(let made) = try row.decoded(), made.model == model { predicted += 1 }
            }
            return predicted >= count
        }
    }

    /// Adds the head and stale-sweep rows; returns a line on how far the first sweep had got.
    func measure(first: Promoted, second: Promoted, into table: inout BenchTable) throws -> String {
        let reached = try headReached(by: second.model)
        table.add("ModelPromoted -> first \(Self.queueHead) of the queue predicted by it", "\(Self.queueHead)", "-", "-",
                  reached.map { String(format: "%.1f s", $0.timeIntervalSince(second.at)) } ?? "not within \(Int(Self.headLimit)) s",
                  "< 10 s")
        var before = 0, after = 0
        var sweep: (count: Int, jobMs: Int, last: Date) = (0, 0, second.at)
        try daemon.workspace().forEachEvent(after: first.seq, type: .predictionMade) { row in
            guard case .predictionMade(let made) = try row.decoded() else { return }
            if made.model == second.model {
                sweep = (sweep.count + 1, sweep.jobMs + made.ms, row.date ?? sweep.last)
            } else if made.model == first.model {
                if row.seq < second.seq { before += 1 } else { after += 1 }
            }
        }
        table.add("first model's predictions after the second's ModelPromoted", "-", "-", "-", "\(after)", "0 (1 in flight)")
        // The job's own milliseconds beside the rate: the difference is what the loop spends
        // choosing and recording each prediction.
        let seconds = sweep.last.timeIntervalSince(second.at)
        table.add("second model's sweep, ModelPromoted to its last prediction so far", "\(sweep.count)", "-", "-",
                  String(format: "%.1f images/s, job %.0f ms", Double(sweep.count) / seconds, Double(sweep.jobMs) / Double(max(1, sweep.count))), "-")
        let total = try daemon.workspace().images().count
        return "the first model had predicted \(before) of \(total) images when the second was promoted"
    }

    /// When the last of the queue's first `queueHead` images got its prediction by `model`, once
    /// all of them carry one; nil if that does not happen within `headLimit`.
    private func headReached(by model: String) throws -> Date? {
        var reached: Date?
        let deadline = Date().addingTimeInterval(Self.headLimit)
        // Every poll sorts the whole queue: 0.2 s apart, so the benchmark does not slow the daemon.
        try daemon.waitFor(limit: Self.headLimit * 2, every: 0.2) { lab in
            let head = try lab.annotationQueue().prefix(Self.queueHead)
            guard head.allSatisfy({ $0.predictionModel == model }), let last = head.compactMap(\.predictionSeq).max() else {
                return Date() > deadline
            }
            reached = try lab.events(after: last - 1, upTo: last).first?.date
            return true
        }
        return reached
    }
}
