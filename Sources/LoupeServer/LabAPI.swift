import Foundation
import Hummingbird
import LoupeDaemon
import LoupeLab
import Logging

/// What every route shares: the daemon's gateway for writing (and its readers for looking),
/// its live status, the claims and the rule for callers.
struct LabAPI: Sendable {
    let gateway: Gateway
    let live: LiveStatus
    let claims: Claims
    let access: Access
    /// The lab's settings as the daemon loaded them at start: the sizes and rules the server holds to.
    let settings: Settings
    let logger: Logger
    let statusCache = HeadCache<LabStatus>()
    let queueCache = HeadCache<[UInt8]>()
    let loginThrottle = LoginThrottle()
    /// Whether a model takes hints, by SHA: a model's weights never change, so once per model.
    let hintCache = HeadCache<Bool>()

    var readers: ReaderPool { gateway.readers }

    /// The lab's counts and model from the log, with what the daemon is doing right now.
    func status(caller: Caller) throws -> Response {
        struct Status: Encodable {
            let lab: String
            let images: [String: Int]
            let currentModel: ModelView?
            let headSeq: Int
            let rejected: Int
            let runs: Int
            let correctionsAwaitingTraining: Int
            let paused: Bool
            let pinnedModel: String?
            let trainingRequested: Bool
            let activity: String
            let activityDetail: String
            let training: DaemonStatus.Training?
            let waitingForPrediction: Int
            let annotator: String?
            let hints: Bool
        }
        let lab = try readers.read { lab in try statusCache.value(for: "status", head: try lab.headSeq()) { try lab.status() } }
        let hints = try lab.currentModel.map { model in
            try readers.read { reader in try hintCache.value(for: model.sha, head: 0) { try reader.takesHints(model: model.sha) } }
        } ?? false
        let daemon = live.status
        return try JSONBody.response(Status(
            lab: lab.lab, images: lab.images, currentModel: lab.currentModel.map(ModelView.init), headSeq: lab.lastEvent?.seq ?? 0,
            rejected: lab.rejected, runs: lab.runs, correctionsAwaitingTraining: lab.correctionsAwaitingTraining,
            paused: lab.controls.paused, pinnedModel: lab.controls.pinnedModel, trainingRequested: lab.controls.trainingRequested,
            activity: Self.word(daemon?.activity), activityDetail: daemon?.activity.description ?? "no daemon running",
            training: daemon?.training,
            waitingForPrediction: daemon?.waitingForPrediction ?? 0, annotator: caller.annotator, hints: hints
        ))
    }

    private static func word(_ activity: DaemonActivity?) -> String {
        switch activity {
        case .idle: "idle"
        case .training: "training"
        case .predicting: "predicting"
        case .stopping: "stopping"
        case nil: "stopped"
        }
    }
}
