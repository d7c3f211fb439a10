import Foundation
import LoupeLab
import Synchronization

/// Predicts an image with the serving model when someone asks for it before the daemon's
/// sweep got there: the image a person opens, or a task Label Studio asks about. The prediction
/// runs on a thread of its own, not on swift-nio's, and is recorded through the mailbox, as the
/// daemon's own would be; the daemon then finds the image predicted and skips it.
final class OnDemandPrediction: Sendable {
    private let api: LabAPI
    private let loaded = Mutex<ServingModel?>(nil)

    init(api: LabAPI) {
        self.api = api
    }

    private enum Known {
        case made(PredictionMade)
        case needs(PredictionJob)
    }

    enum Failure: Error, CustomStringConvertible {
        case noModel
        case failed(String)

        var description: String {
            switch self {
            case .noModel: "no model is serving yet: the first one is trained once enough corrections arrive"
            case .failed(let reason): "the prediction failed: \(reason)"
            }
        }
    }

    /// The image's prediction by the serving model, made now if it has none.
    func prediction(of image: String) async throws -> PredictionMade {
        let known: Known = try api.readers.read { lab in
            guard let model = try lab.servingModel(reusing: loaded.withLock { $0 }) else { throw Failure.noModel }
            loaded.withLock { $0 = model }
            if let made = try lab.prediction(ofImage: image, by: model.sha) { return .made(made) }
            return .needs(try lab.predictionJob(forImage: image, model: model))
        }
        let job: PredictionJob
        switch known {
        case .made(let made): return made
        case .needs(let needed): job = needed
        }
        let outcome = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: job.run()) }
        }
        switch outcome {
        case .predicted(let made):
            try await api.mailbox.perform { _ = try $0.workspace.recordPrediction(made) }
            return made
        case .failed(_, let reason), .deferred(_, let reason):
            throw Failure.failed(reason)
        }
    }
}
