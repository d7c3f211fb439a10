import Foundation
import LoupeDaemon
import LoupeLab
import Synchronization

/// Predicts an image with the serving model when someone asks for it before the daemon's
/// sweep got there: the image a person opens, or a task Label Studio asks about. The request
/// goes to the loop, which runs it on its work queue ahead of the sweep, one at a time however
/// many clients ask, and records it as the daemon's own prediction. A client that goes away
/// takes its request with it.
final class OnDemandPrediction: Sendable {
    private let api: LabAPI
    private let tickets = Atomic<UInt64>(0)

    init(api: LabAPI) {
        self.api = api
    }

    /// The image's prediction by the serving model, made now if it has none.
    func prediction(of image: String) async throws -> PredictionMade {
        let ticket = tickets.add(1, ordering: .relaxed).newValue
        let mailbox = api.mailbox
        return try await withTaskCancellationHandler {
            try await mailbox.request { context, reply in
                context.predictSoon(image: image, ticket: ticket, reply: reply)
            }
        } onCancel: {
            Task { try? await mailbox.perform { $0.cancelPrediction(image: image, ticket: ticket) } }
        }
    }
}
