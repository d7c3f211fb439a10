import Hummingbird
import LoupeLab

/// Review: set an image aside (skip, flag ungradable) or restore it, comment on it, and a
/// reviewer's verdict on its latest correction. Each is an event on the image's stream with
/// who did it; the handlers decode, call one workspace operation on the loop, and answer its seq.
struct ReviewRoutes {
    let api: LabAPI

    /// A reason, comment or note is a few thousand characters at most (`ReviewText`): a body
    /// far above that is refused before it is read.
    static let bodyLimit = 64 * 1024

    func add(to router: Router<LabContext>) {
        let v1 = router.group("api/v1")
        v1.on("images/:id/skip", .post, needs: .annotator) { request, context, caller in
            let (sha, body) = try await read(Reason.self, request, context)
            return try await perform { try $0.skip(image: sha, by: caller.annotator, reason: body.reason) }
        }
        v1.on("images/:id/flag", .post, needs: .annotator) { request, context, caller in
            let (sha, body) = try await read(Reason.self, request, context)
            return try await perform { try $0.flag(image: sha, by: caller.annotator, reason: body.reason) }
        }
        v1.on("images/:id/restore", .post, needs: .annotator) { request, context, caller in
            let (sha, body) = try await read(OptionalReason.self, request, context)
            return try await perform { try $0.restore(image: sha, by: caller.annotator, reason: body.reason ?? "") }
        }
        v1.on("images/:id/comments", .post, needs: .annotator) { request, context, caller in
            let (sha, body) = try await read(Comment.self, request, context)
            return try await perform { try $0.comment(image: sha, by: caller.annotator, text: body.text) }
        }
        v1.on("images/:id/review", .post, needs: .reviewer) { request, context, caller in
            let (sha, body) = try await read(Verdict.self, request, context)
            guard let verdict = ReviewVerdict(rawValue: body.verdict) else {
                throw APIError.badRequest("verdict must be accept or send_back, not '\(Query.shown(body.verdict))'")
            }
            return try await perform {
                try $0.review(image: sha, correction: body.correction, verdict: verdict, by: caller.annotator, note: body.note ?? "")
            }
        }
    }

    private struct Reason: Decodable { let reason: String }
    private struct OptionalReason: Decodable { let reason: String? }
    private struct Comment: Decodable { let text: String }
    private struct Verdict: Decodable {
        let verdict: String
        let note: String?
        let correction: Int?
    }

    /// The image's full SHA-256 (404 for none) and the body (415, 413, 400 as every JSON route).
    private func read<Body: Decodable>(_ type: Body.Type, _ request: Request, _ context: LabContext) async throws -> (String, Body) {
        let sha = try api.readers.read { try $0.image(named: try context.parameters.require("id")).sha }
        return (sha, try await JSONRequest.decode(type, from: request, limit: Self.bodyLimit))
    }

    private func perform(_ operation: @escaping @Sendable (Workspace) throws -> Int) async throws -> Response {
        struct Recorded: Encodable { let seq: Int }
        return try JSONBody.response(Recorded(seq: try await api.gateway.record(operation)), status: .created)
    }
}
