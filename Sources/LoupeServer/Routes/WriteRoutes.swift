import Foundation
import Hummingbird
import LoupeLab

/// Uploads, claims and corrections. An upload is staged on disk, examined off the loop like a
/// dropped file, then recorded by the loop through the mailbox: the same events, the same
/// refusals into rejected/.
struct WriteRoutes {
    let api: LabAPI

    static let imageTypes = ["image/png", "image/jpeg", "image/tiff", "image/x-portable-anymap", "image/x-portable-pixmap",
                             "image/x-portable-graymap", "application/octet-stream", "multipart/form-data"]

    func add(to router: Router<LabContext>) {
        let v1 = router.group("api/v1")
        v1.on("images", .post, needs: .annotator) { request, _, _ in try await upload(request) }
        v1.on("images/:id/claim", .post, needs: .annotator) { _, context, caller in
            let record = try api.readers.read { try $0.image(named: try context.parameters.require("id")) }
            switch api.claims.claim(record.sha, for: caller.name) {
            case .held(let claim):
                struct Claimed: Encodable {
                    let claimedBy: String
                    let expiresAt: Date
                }
                return try JSONBody.response(Claimed(claimedBy: claim.annotator, expiresAt: claim.expires))
            case .takenBy(let other):
                throw APIError(.conflict, "claimed", "\(record.name) is being corrected by \(other.annotator) until \(other.expires.formatted(.iso8601))")
            }
        }
        v1.on("images/:id/claim", .delete, needs: .annotator) { _, context, caller in
            let record = try api.readers.read { try $0.image(named: try context.parameters.require("id")) }
            api.claims.release(record.sha, by: caller.name)
            return Response(status: .noContent)
        }
        v1.on("images/:id/corrections", .post, needs: .annotator) { request, context, caller in
            try await correct(request, id: try context.parameters.require("id"), caller: caller)
        }
    }

    private func upload(_ request: Request) async throws -> Response {
        try Self.requireContentType(request, among: Self.imageTypes)
        let limit = api.settings.uploadLimit
        let name = request.uri.queryParameters["name"].map(String.init)
        let staged = try await api.staging.receive(request, kind: .images, name: name, limit: limit)
        defer { staged.release() }
        let examined = try api.readers.read { $0.imageExamination(of: staged.path, incompleteGrace: 0) }()
        let path = staged.path
        let outcome = try await api.mailbox.perform { try $0.workspace.recordImages([(examined, path)])[0] }
        return try respond(outcome, staged: staged, kind: .images)
    }

    /// An image taken: what happened, its event, and the image as lists show it.
    private func taken(_ outcome: String, sha: String, seq: Int, status: HTTPResponse.Status) throws -> Response {
        struct Taken: Encodable {
            let outcome: String
            let sha: String
            let seq: Int
            let image: ImageSummary?
        }
        let found = try api.readers.read { lab in
            try (try? lab.image(named: sha)).map { ($0, try lab.corrections(ofImage: sha).count) }
        }
        let image = found.map { ImageSummary($0.0, claim: api.claims.current()[sha], corrections: $0.1) }
        return try JSONBody.response(Taken(outcome: outcome, sha: sha, seq: seq, image: image), status: status)
    }

    private func correct(_ request: Request, id: String, caller: Caller) async throws -> Response {
        try Self.requireContentType(request, among: ["image/png"])
        let record = try api.readers.read { try $0.image(named: id) }
        if case .takenBy(let other) = api.claims.claim(record.sha, for: caller.name) {
            throw APIError(.conflict, "claimed", "\(record.name) is being corrected by \(other.annotator)")
        }
        let limit = record.width * record.height * 4 + (1 << 20)
        let stem = (record.name as NSString).deletingPathExtension
        let staged = try await api.staging.receive(request, kind: .corrections, name: "\(stem).\(caller.name).png", limit: limit)
        defer { staged.release() }
        let path = staged.path
        let based = request.uri.queryParameters["basedOnModel"].map(String.init) ?? record.predictionModel
        let examined: @Sendable () -> ExaminedCorrection
        do {
            examined = try api.readers.read { lab in
                try lab.correctionExamination(of: path, image: record.sha, annotator: caller.annotator, basedOnModel: based, incompleteGrace: 0)
            }
        } catch let error as CorrectionError {
            staged.discard()
            throw APIError.badRequest(error.description)
        }
        let result = examined()
        let outcome = try await api.mailbox.perform { context in
            let outcome = try context.workspace.recordCorrection(result, from: path)
            if case .accepted = outcome { context.correctionAccepted() }
            return outcome
        }
        guard case .accepted(let mask, let seq) = outcome else { return try respond(outcome, staged: staged, kind: .corrections) }
        struct Corrected: Encodable {
            let outcome: String
            let mask: String
            let seq: Int
            let annotator: String?
            let basedOnModel: String?
            let disagreement: Disagreement?
        }
        let recorded = try api.readers.read { try $0.corrections(ofImage: record.sha).last { $0.seq == seq } }
        return try JSONBody.response(Corrected(
            outcome: "accepted", mask: mask, seq: seq, annotator: caller.annotator, basedOnModel: based, disagreement: recorded?.disagreement
        ), status: .created)
    }

    /// 201 for a file taken, 422 with where it went for one refused; a file left in place by a
    /// passing condition goes to the drop folder, where the daemon takes it again later.
    private func respond(_ outcome: IntakeOutcome, staged: StagedFile, kind: UploadStaging.Kind) throws -> Response {
        let what = kind == .images ? "image" : "correction"
        switch outcome {
        case .accepted(let sha, let seq):
            return try taken("accepted", sha: sha, seq: seq, status: .created)
        case .anotherName(let sha, let seq):
            return try taken("anotherName", sha: sha, seq: seq, status: .created)
        case .alreadyKnown(let sha, let seq):
            return try taken("alreadyKnown", sha: sha, seq: seq, status: .ok)
        case .rejected(let reason, let movedTo):
            throw APIError(.unprocessableContent, "rejected", "\(what) refused: \(reason)", rejectedPath: movedTo)
        case .deferred(let reason):
            let moved = api.staging.handOver(staged, kind: kind, lab: api.readers.lab)
            throw APIError(.serviceUnavailable, "unavailable",
                           "\(what) not taken now (\(reason)); moved to \(moved ?? staged.path) for the daemon to take later")
        }
    }

    static func requireContentType(_ request: Request, among accepted: [String]) throws {
        let given = (request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard accepted.contains(given) else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type",
                           "Content-Type '\(Query.shown(given))' is not accepted here; send one of \(accepted.joined(separator: ", "))")
        }
    }
}
