import LoupeDaemon
import LoupeLab

/// Whether the daemon has done everything the corrections so far call for, judged from the
/// log (read in a fresh connection, so the answer is never an old snapshot) and daemon.json.
///
/// Idle means: no training running, none due (fewer new corrections than the retrain policy
/// asks for, or a failed training waiting for one more), and every image waiting for an
/// expert predicted by the model in service. An image whose prediction failed stays in the
/// backlog for good; the daemon then reports itself idle, which is taken as the last word.
enum DaemonIdleness {
    static func isIdle(lab: String) throws -> Bool {
        let workspace = try Workspace(at: lab, readOnly: true)
        let need = try workspace.trainingNeed()
        guard need.interruptedRun == nil, need.newCorrections < workspace.settings.retrain.minNewCorrections else {
            return false
        }
        guard let model = try workspace.projections.currentModel(),
              try !workspace.predictionBacklog(model: model.sha).isEmpty else { return true }
        return DaemonStatus.read(lab: lab)?.activity == "idle"
    }
}
