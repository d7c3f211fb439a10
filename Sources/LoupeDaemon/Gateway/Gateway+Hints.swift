import LoupeLab

extension Gateway {
    /// The serving model's answer to an expert's clicks: the region the new clicks change.
    /// Queued in the loop's on-demand lane ahead of predictions and the background sweep, one
    /// job at a time however many experts click; nothing is recorded. A caller that goes away
    /// before its hint starts takes it with it.
    package func hint(_ hint: HintAsked) async throws -> HintAnswer {
        let ticket = tickets.add(1, ordering: .relaxed).newValue
        let mailbox = mailbox
        return try await withTaskCancellationHandler {
            try await mailbox.request { context, reply in context.hint(hint, ticket: ticket, reply: reply) }
        } onCancel: {
            Task { try? await mailbox.perform { $0.cancelHint(ticket: ticket) } }
        }
    }
}
