import Foundation
import LoupeDaemon

/// Progress lines on stderr: one per step, and one whenever the daemon's activity or the
/// training epoch changes (not on every status rewrite, to keep the log readable).
package final class SimulationProgress {
    package init() {}

    private let started = Date()
    private var lastActivity = ""

    package func say(_ message: String) {
        let elapsed = Int(Date().timeIntervalSince(started))
        let line = String(format: "[%02d:%02d:%02d] ", elapsed / 3600, elapsed / 60 % 60, elapsed % 60) + message
        FileHandle.standardError.write(Data("\(line)\n".utf8))
    }

    func daemon(_ status: DaemonStatus?, round: Int) {
        guard let status else { return }
        var activity = status.activity.description
        if let training = status.training {
            activity = "training run \(training.run): " + (training.epoch == 0 ? "starting" : "epoch \(training.epoch)")
            if let remaining = training.remainingSeconds { activity += ", about \(Self.duration(remaining)) left" }
        } else if case .predicting = status.activity {
            activity = "predicting pending images"
        } else if status.activity == .idle {
            activity = "waiting for the retrain quiet period"
        }
        let key = status.training.map { "t\($0.run).\($0.epoch)" } ?? activity
        guard key != lastActivity else { return }
        lastActivity = key
        say("round \(round): \(activity)")
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 60 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s" : "\(whole)s"
    }
}
