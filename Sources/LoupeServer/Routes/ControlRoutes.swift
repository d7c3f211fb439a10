import Hummingbird
import LoupeLab

/// Operator actions, each recorded as an event with who did it: train now, pause and resume
/// training, pin a model, unpin, roll back to an earlier model. Operators only.
struct ControlRoutes {
    let api: LabAPI

    func add(to router: Router<LabContext>) {
        let v1 = router.group("api/v1")
        v1.on("training", .post, needs: .operator) { request, _, caller in
            struct Action: Decodable { let action: String }
            let body = try await JSONRequest.decode(Action.self, from: request, limit: api.settings.server.maxJSONBytes)
            let by = caller.annotator
            let operation: @Sendable (Workspace) throws -> Int
            switch body.action {
            case "train": operation = { try $0.requestTraining(by: by) }
            case "pause": operation = { try $0.pauseTraining(by: by) }
            case "resume": operation = { try $0.resumeTraining(by: by) }
            default: throw APIError.badRequest("action must be train, pause or resume, not '\(Query.shown(body.action))'")
            }
            return try await perform(operation)
        }
        v1.on("models/:sha/pin", .post, needs: .operator) { _, context, caller in
            let by = caller.annotator
            let model = try context.parameters.require("sha")
            return try await perform { try $0.pin(model: model, by: by) }
        }
        v1.on("models/pin", .delete, needs: .operator) { _, _, caller in
            let by = caller.annotator
            return try await perform { try $0.unpin(by: by) }
        }
        v1.on("models/:sha/rollback", .post, needs: .operator) { _, context, caller in
            let by = caller.annotator
            let model = try context.parameters.require("sha")
            return try await perform { try $0.rollBack(to: model, by: by) }
        }
    }

    private func perform(_ operation: @escaping @Sendable (Workspace) throws -> Int) async throws -> Response {
        struct Recorded: Encodable { let seq: Int }
        do {
            let seq = try await api.gateway.record(operation)
            return try JSONBody.response(Recorded(seq: seq), status: .accepted)
        } catch let error as ControlError {
            switch error {
            case .unknownModel: throw APIError(.notFound, "unknown_model", error.description)
            default: throw APIError(.conflict, "conflict", error.description)
            }
        }
    }
}
