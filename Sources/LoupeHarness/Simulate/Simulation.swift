import Foundation
import LoupeDaemon
import LoupeLab
import LoupeVision

/// A simulated expert driving a real daemon: drops the dataset's images into the inbox, then
/// round after round drops the ground truth of the images the queue puts first into
/// corrections/, waits until the daemon has retrained and re-predicted, and scores the state
/// of the loop. The daemon is another process; everything is learnt from its log.
package final class Simulation {
    package struct Plan {
        var dataset: SimulationDataset
        var lab: String
        var strategy: QueueStrategy
        var initial: Int
        var batch: Int
        var rounds: Int?
        /// Hint budgets to score every correction and pending image at; empty: none.
        var hints: [Int]

        package init(
            dataset: SimulationDataset, lab: String, strategy: QueueStrategy, initial: Int, batch: Int, rounds: Int?,
            hints: [Int] = []
        ) {
            self.dataset = dataset
            self.lab = lab
            self.strategy = strategy
            self.initial = initial
            self.batch = batch
            self.rounds = rounds
            self.hints = hints
        }
    }

    private let plan: Plan
    private let daemon: DaemonProcess
    private let progress: SimulationProgress
    package private(set) var report: SimulationReport
    private var idOfImage: [String: String] = [:]
    private let hintScoring: HintScoring?
    /// What each image corrected this round would have cost with hints, from the prediction
    /// the expert saw.
    private var hintsAtCorrection: [String: [HintedExpert.Outcome]] = [:]

    package init(plan: Plan, daemon: DaemonProcess, report: SimulationReport, progress: SimulationProgress) {
        self.plan = plan
        self.daemon = daemon
        self.report = report
        self.progress = progress
        hintScoring = plan.hints.isEmpty ? nil : HintScoring(budgets: plan.hints, dataset: plan.dataset)
    }

    /// Runs every round; `roundEnded` sees the report after each one.
    package func run(roundEnded: (SimulationReport) throws -> Void) throws {
        try ingestDataset()
        var corrections = 0
        while plan.rounds.map({ report.rounds.count < $0 }) ?? true {
            let round = report.rounds.count + 1
            let started = Date()
            let startSeq = try daemon.workspace().headSeq()
            let workspace = try Workspace(at: plan.lab, readOnly: true)
            // Without a model the queue has nothing to rank by: every strategy starts alike.
            let hasModel = try workspace.currentModel() != nil
            let queue = try workspace.annotationQueue(strategy: hasModel ? plan.strategy : .fifo)
            guard !queue.isEmpty else { break }
            let chosen = Array(queue.prefix(round == 1 ? plan.initial : plan.batch))
            progress.say("round \(round): correcting \(chosen.map { id(of: $0.sha) }.joined(separator: ", "))")
            for image in chosen { try correct(image) }
            corrections += chosen.count
            // After the last corrections nothing is left to predict: no use waiting for a training.
            if queue.count > chosen.count { try waitUntilIdle(round: round) }
            report.rounds.append(try score(round: round, corrections: corrections, since: startSeq, started: started))
            try roundEnded(report)
            progress.say(summary(of: report.rounds.last!, remaining: queue.count - chosen.count))
        }
        report.complete = true
        try roundEnded(report)
    }

    private func ingestDataset() throws {
        for id in plan.dataset.ids {
            let name = "\(id).png"
            let after = try daemon.workspace().headSeq()
            try drop(plan.dataset.imagePath(id), as: name, into: "inbox")
            try daemon.waitFor { lab in
                var seen = false
                try lab.forEachEvent(after: after) { row in
                    switch try row.decoded() {
                    case .imageIngested(let e) where e.originalName == name:
                        idOfImage[e.image] = id
                        seen = true
                    case .imageRejected(let e) where e.originalName == name:
                        throw HarnessError("the daemon rejected \(name): \(e.reason)")
                    default:
                        break
                    }
                }
                return seen
            }
        }
        progress.say("ingested \(plan.dataset.ids.count) images")
    }

    /// Drops the image's ground truth, named `ID.ANNOTATOR.png` so the lab records who drew
    /// it, and waits until the daemon accepted it. One at a time: the order of acceptance
    /// decides the validation split, and it should not depend on a race.
    private func correct(_ image: ImageRecord) throws {
        let id = id(of: image.sha)
        if let hintScoring, let model = image.predictionModel {
            hintsAtCorrection[image.sha] = try hintScoring.outcomes(
                in: Workspace(at: plan.lab, readOnly: true), image: image.sha, id: id, model: model)
        }
        let name = "\(id).\(plan.dataset.annotator).png"
        let after = try daemon.workspace().headSeq()
        try drop(plan.dataset.labelPath(id), as: name, into: "corrections")
        try daemon.waitFor { lab in
            var accepted = false
            try lab.forEachEvent(after: after) { row in
                switch try row.decoded() {
                case .correctionAccepted(let e) where e.image == image.sha:
                    accepted = true
                case .correctionRejected(let e) where e.originalName == name:
                    throw HarnessError("the daemon rejected the correction \(name): \(e.reason)")
                default:
                    break
                }
            }
            return accepted
        }
    }

    /// Written beside the target under a dot-name the daemon ignores, then renamed: the daemon
    /// never sees half a file.
    private func drop(_ source: String, as name: String, into folder: String) throws {
        let target = "\(plan.lab)/\(folder)/\(name)"
        let temporary = "\(plan.lab)/\(folder)/.\(name).tmp"
        try Data(contentsOf: URL(fileURLWithPath: source)).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, target) == 0 else { throw HarnessError("cannot rename \(temporary) to \(target): \(String(cString: strerror(errno)))") }
    }

    private func waitUntilIdle(round: Int) throws {
        while try !DaemonIdleness.isIdle(lab: plan.lab) {
            try daemon.checkAlive()
            progress.daemon(DaemonStatus.read(lab: plan.lab), round: round)
            usleep(250_000)
        }
    }

    private func score(round: Int, corrections: Int, since startSeq: Int, started: Date) throws -> SimulationRound {
        let workspace = try Workspace(at: plan.lab, readOnly: true)
        let events = try RoundEvents(lab: workspace, after: startSeq)
        let corrected = try events.corrections.map { accepted in
            let startingPoint = try accepted.basedOnMask.map { try workspace.decodedObject($0) }
            let metrics = try plan.dataset.score(id(of: accepted.image), mask: startingPoint)
            let toFix = metrics.falsePositives + metrics.falseNegatives
            let vessels = metrics.truePositives + metrics.falseNegatives
            return CorrectedImage(
                id: id(of: accepted.image), image: accepted.image, basedOnModel: accepted.basedOnModel, pixelsToFix: toFix,
                vesselPixels: vessels, share: vessels == 0 ? 0 : Double(toFix) / Double(vessels),
                centerline: try plan.dataset.centerline(id(of: accepted.image), mask: startingPoint),
                hints: hintsAtCorrection.removeValue(forKey: accepted.image)
            )
        }
        var pending: [PendingScore] = []
        var pooled = (tp: 0, fp: 0, fn: 0)
        for image in try workspace.images() where image.state != .corrected {
            guard let maskSHA = image.predictionMask else { continue }
            let mask = try workspace.decodedObject(maskSHA)
            let metrics = try plan.dataset.score(id(of: image.sha), mask: mask)
            pooled = (pooled.tp + metrics.truePositives, pooled.fp + metrics.falsePositives, pooled.fn + metrics.falseNegatives)
            pending.append(PendingScore(
                id: id(of: image.sha), model: image.predictionModel, f1: metrics.f1, sensitivity: metrics.sensitivity,
                specificity: metrics.specificity, accuracy: metrics.accuracy, truePositives: metrics.truePositives,
                falsePositives: metrics.falsePositives, trueNegatives: metrics.trueNegatives, falseNegatives: metrics.falseNegatives,
                centerline: try plan.dataset.centerline(id(of: image.sha), mask: mask),
                hints: try image.predictionModel.flatMap { model in
                    try hintScoring?.outcomes(in: workspace, image: image.sha, id: id(of: image.sha), model: model)
                }
            ))
        }
        let model = try workspace.currentModel()
        let toFix = corrected.map(\.pixelsToFix).reduce(0, +), vessels = corrected.map(\.vesselPixels).reduce(0, +)
        let pooledDenominator = 2 * pooled.tp + pooled.fp + pooled.fn
        let correctedCenterline = corrected.compactMap(\.centerline).reduce(CenterlineEffort.zero, +)
        let pendingCenterline = pending.compactMap(\.centerline).reduce(CenterlineEffort.zero, +)
        let pendingVessels = pooled.tp + pooled.fn
        return SimulationRound(
            round: round, corrections: corrections, corrected: corrected, model: model?.sha, validationDice: model?.validationDice,
            trainings: events.trainings, trainingMs: events.trainingMs, predictions: events.predictions,
            predictionMs: events.predictionMs, seconds: Date().timeIntervalSince(started), pending: pending,
            meanF1: pending.isEmpty ? nil : pending.map(\.f1).reduce(0, +) / Double(pending.count),
            pooledF1: pending.isEmpty || pooledDenominator == 0 ? nil : Double(2 * pooled.tp) / Double(pooledDenominator),
            effortShare: vessels == 0 ? 0 : Double(toFix) / Double(vessels),
            centerlineEffort: corrected.isEmpty ? nil : correctedCenterline.share, strokes: correctedCenterline.strokes,
            pendingCenterlineEffort: pending.isEmpty ? nil : pendingCenterline.share,
            pendingPixelShare: pending.isEmpty || pendingVessels == 0 ? nil : Double(pooled.fp + pooled.fn) / Double(pendingVessels),
            pendingStrokes: pending.isEmpty ? nil : pendingCenterline.strokes,
            correctedHints: hintScoring.map { _ in PooledHints.pool(corrected.compactMap(\.hints)) },
            pendingHints: hintScoring.map { _ in PooledHints.pool(pending.compactMap(\.hints)) }
        )
    }

    private func summary(of round: SimulationRound, remaining: Int) -> String {
        var text = "round \(round.round) done: \(round.corrections) corrections, model \(EventRow.short(round.model))"
        if let f1 = round.meanF1 { text += ", F1 of \(round.pending.count) pending \(String(format: "%.3f", f1))" }
        text += ", effort \(String(format: "%.0f%%", round.effortShare * 100)) of pixels"
        if let centerline = round.centerlineEffort { text += ", \(String(format: "%.1f%%", centerline * 100)) of centerline in \(round.strokes ?? 0) strokes" }
        if let pending = round.pendingCenterlineEffort { text += ", pending centerline \(String(format: "%.1f%%", pending * 100))" }
        text += " in \(SimulationProgress.duration(round.seconds))"
        let later = report.rounds.dropFirst()
        // --rounds may stop the run before every image is corrected.
        let rounds = min((remaining + plan.batch - 1) / plan.batch, (plan.rounds ?? .max) - report.rounds.count)
        if rounds > 0, !later.isEmpty {
            let perRound = later.map(\.seconds).reduce(0, +) / Double(later.count)
            text += "; \(rounds) round\(rounds == 1 ? "" : "s") left, ETA \(SimulationProgress.duration(perRound * Double(rounds)))"
        }
        return text
    }

    private func id(of sha: String) -> String { idOfImage[sha] ?? String(sha.prefix(12)) }
}
