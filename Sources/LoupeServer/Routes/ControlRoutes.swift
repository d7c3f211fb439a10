import Hummingbird
import LoupeLab

/// Operator actions, each recorded as an event with who did it: train now, pause and resume
/// training, pin a model, unpin, roll back to an earlier model.
struct ControlRoutes {
    let api: LabAPI

    func add(to router: Router<BasicRequestContext>) {
        let v1 = router.group("api/v1")
        v1.post("training") { request, _ in
            let caller = try api.access.caller(request)
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
        v1.post("models/:sha/pin") { request, context in
            let by = try api.access.caller(request).annotator
            let model = try context.parameters.require("sha")
            return try await perform { try $0.pin(model: model, by: by) }
        }
        v1.delete("models/pin") { request, _ in
            let by = try api.access.caller(request).annotator
            return try await perform { try $0.unpin(by: by) }
        }
        v1.post("models/:sha/rollback") { request, context in
            let by = try api.access.caller(request).annotator
            let model = try context.parameters.require("sha")
            return try await perform { try $0.rollBack(to: model, by: by) }
        }
    }

    private func perform(_ operation: @escaping @Sendable (Workspace) throws -> Int) async throws -> Response {
        struct Recorded: Encodable { let seq: Int }
        do {
            let seq = try await api.mailbox.perform { try operation($0.workspace) }
            return try JSONBody.response(Recorded(seq: seq), status: .accepted)
        } catch let error as ControlError {
            switch error {
            case .unknownModel: throw APIError(.notFound, "unknown_model", error.description)
            default: throw APIError(.conflict, "conflict", error.description)
            }
        }
    }
}
