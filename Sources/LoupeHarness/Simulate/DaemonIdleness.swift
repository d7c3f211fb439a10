import LoupeDaemon
import LoupeLab

/// Whether the daemon has done everything the corrections so far call for, judged by the lab's
/// own scheduling rule on the log (read in a fresh connection, so never an old snapshot) and
/// daemon.json.
///
/// Idle means the rule has nothing left: no training running or due, and every image waiting
/// for an expert predicted by the model in service. An image whose prediction failed stays in
/// the backlog for good; the daemon then reports itself idle, which is taken as the last word.
enum DaemonIdleness {
    static func isIdle(lab: String) throws -> Bool {
        let workspace = try Workspace(at: lab, readOnly: true)
        // Another process's clock: a due training and one in its quiet period are both work.
        let situation = try workspace.workSituation(
            model: try workspace.currentModel()?.sha, jobRunning: false, secondsSinceLastCorrection: nil)
        switch workspace.settings.retrain.nextWork(situation) {
        case .idle: return true
        case .predict: return DaemonStatus.read(lab: lab)?.activity == .idle
        case .busy, .train, .wait: return false
        }
    }
}
