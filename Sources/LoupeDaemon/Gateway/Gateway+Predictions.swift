import LoupeLab

extension Gateway {
    /// The image's prediction by the serving model, made now if it has none: the image a
    /// person opens, or a task Label Studio asks about, before the daemon's sweep got there.
    /// Queued on the loop's work queue ahead of the sweep, one at a time however many clients
    /// ask, and recorded as the daemon's own prediction. A caller that goes away (its task
    /// cancelled) takes its request with it.
    package func prediction(of image: String) async throws -> PredictionMade {
        let ticket = tickets.add(1, ordering: .relaxed).newValue
        let mailbox = mailbox
        return try await withTaskCancellationHandler {
            try await mailbox.request { context, reply in
                context.predictSoon(image: image, ticket: ticket, reply: reply)
            }
        } onCancel: {
            Task { try? await mailbox.perform { $0.cancelPrediction(image: image, ticket: ticket) } }
        }
    }
}
