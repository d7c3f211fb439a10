import Foundation

extension EventRow {
    /// A few words a person reads at a glance; the full payload is in --json. Control
    /// characters are escaped: a file name must not move the cursor or forge a log line.
    package var summary: String {
        Self.printable(rawSummary)
    }

    private var rawSummary: String {
        guard let event = try? decoded() else { return payload }
        switch event {
        case .imageIngested(let e):
            return "\(e.originalName) \(e.width)x\(e.height)x\(e.channels) as \(Self.short(e.image))"
        case .imageNamed(let e):
            return "\(e.originalName) is another name of image \(Self.short(e.image))"
        case .imageRejected(let e), .correctionRejected(let e):
            return "\(e.originalName) -> \(e.rejectedPath): \(e.reason)"
        case .predictionMade(let e):
            let slurm = e.slurmJob.map { ", on Slurm job \($0)" } ?? ""
            return "image \(Self.short(e.image)) by model \(Self.short(e.model)): uncertainty \(Self.format(e.uncertainty)), vessels \(Self.format(e.vesselFraction * 100, digits: 1))%, \(e.ms) ms\(slurm)"
        case .correctionAccepted(let e):
            let by = e.annotator.map { " by \($0)" } ?? ""
            let base = e.basedOnModel.map { "on model \(Self.short($0)), \(e.pixelsChanged ?? 0) pixels changed" } ?? "drawn without a prediction"
            let agreement = e.disagreement.map { d in
                ", Dice \(Self.format(d.dice)) with \(d.annotator ?? "an unnamed annotator")'s mask"
            } ?? ""
            return "\(e.originalName)\(by) for image \(Self.short(e.image)), \(base)\(agreement)\(e.making.map(Self.made) ?? "")"
        case .trainingStarted(let e):
            let start = e.coldStart.map { "cold start: \($0)" } ?? "warm start \(Self.short(e.warmStart))"
            let slurm = e.slurmJob.map { ", on Slurm job \($0)" } ?? ""
            return "run \(e.run): \(e.trainingSet.count) training, \(e.validationSet.count) validation, seed \(e.seed), \(start)\(slurm)"
        case .modelTrained(let e):
            return "run \(e.run): model \(Self.short(e.model)), \(e.epochs) epochs, validation Dice \(e.validationDice.map { Self.format($0) } ?? "-"), \(e.ms / 1000) s"
        case .trainingFailed(let e), .trainingAborted(let e):
            return "run \(e.run): \(e.reason)"
        case .modelPromoted(let e):
            return "model \(Self.short(e.model)) replaces \(Self.short(e.replaced)): \(e.why)"
        case .modelRejected(let e):
            if let reason = e.reason { return "model \(Self.short(e.model)): \(reason)" }
            return "model \(Self.short(e.model)): validation Dice \(Self.format(e.candidateDice)) < current \(e.currentDice.map { Self.format($0) } ?? "-")"
        case .daemonStarted(let e):
            return "loupe \(e.version), pid \(e.pid)"
        case .daemonStopped(let e):
            return e.reason
        case .annotatorAdded(let e):
            return "annotator \(e.name): token issued (SHA-256 \(Self.short(e.tokenSHA256)))"
        case .trainingRequested(let e):
            return "training requested\(Self.by(e.by))"
        case .trainingPaused(let e):
            return "training paused\(Self.by(e.by))"
        case .trainingResumed(let e):
            return "training resumed\(Self.by(e.by))"
        case .modelPinned(let e):
            return "model \(Self.short(e.model)) pinned\(Self.by(e.by))"
        case .modelUnpinned(let e):
            return "model \(Self.short(e.model)) unpinned\(Self.by(e.by))"
        case .labelStudioTaskLinked(let e):
            return "Label Studio project \(e.project) task \(e.task) shows image \(Self.short(e.image)) (\(e.source))"
        case .imageSkipped(let e):
            return "skipped\(Self.by(e.by)): \(e.reason)"
        case .imageFlagged(let e):
            return "flagged ungradable\(Self.by(e.by)): \(e.reason)"
        case .imageRestored(let e):
            return "back on the to-do list\(Self.by(e.by))\(e.reason.isEmpty ? "" : ": \(e.reason)")"
        case .imageCommented(let e):
            return "comment\(Self.by(e.by)): \(e.text)"
        case .correctionApproved(let e):
            return "\(e.annotator ?? "the local user")'s correction accepted\(Self.by(e.by))\(e.note.isEmpty ? "" : ": \(e.note)")"
        case .correctionSentBack(let e):
            return "\(e.annotator ?? "the local user")'s correction sent back\(Self.by(e.by)): \(e.note)"
        case .loginCodeIssued(let e):
            return "login code for \(e.name), valid until \(e.expiresAt)"
        case .loginCodeRedeemed(let e):
            return "\(e.name) signed in with a login code (session SHA-256 \(Self.short(e.tokenSHA256)))"
        }
    }

    /// `text` with every control character (C0, DEL, C1) written as an escape: `\n`, `\t`,
    /// `\r`, or `\u{1b}`.
    package static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where isControl(scalar): out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    package static func format(_ value: Double, digits: Int = 3) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// How the page made a correction: "; 3 clicks on model 4f2a9c01b3de, 2 strokes; pixels:
    /// 812 from hints, 230 by hand, 419158 as the model predicted".
    private static func made(_ making: CorrectionMaking) -> String {
        let clicks = making.clicks.isEmpty ? nil : "\(making.clicks.count) click\(making.clicks.count == 1 ? "" : "s") on model \(short(making.hintModel))"
        let strokes = making.strokes.isEmpty ? nil : "\(making.strokes.count) stroke\(making.strokes.count == 1 ? "" : "s")"
        let pixels = making.pixels.map { "pixels: \($0.hints) from hints, \($0.hand) by hand, \($0.model) as the model predicted" }
        let parts = [clicks, strokes].compactMap { $0 }
        return "; " + (parts.isEmpty ? "no hints or strokes" : parts.joined(separator: ", ")) + (pixels.map { "; \($0)" } ?? "")
    }

    private static func by(_ who: String?) -> String {
        who.map { " by \($0)" } ?? ""
    }

    package static func short(_ sha: String?) -> String {
        sha.map { String($0.prefix(12)) } ?? "-"
    }
}
