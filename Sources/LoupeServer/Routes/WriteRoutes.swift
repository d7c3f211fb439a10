import Foundation
import Hummingbird
import LoupeDaemon
import LoupeLab

/// Uploads, claims and corrections: decode the request, hand the body to the daemon's gateway
/// (the same examination, events and refusals into rejected/ as a dropped file), encode.
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
        try ContentType.require(request, among: Self.imageTypes)
        let name = request.uri.queryParameters["name"].map(String.init)
        let taken = try await api.gateway.takeImage { folder in
            try await BodyReceiver.write(request, into: folder, name: name, limit: api.settings.uploadLimit)
        }
        return try respond(taken)
    }

    /// 201 for a file taken (200 for one known already): what happened, its event, and the
    /// image as lists show it. Refusals are thrown by the gateway and answered by `ErrorMiddleware`.
    private func respond(_ taken: Taken) throws -> Response {
        struct Answer: Encodable {
            let outcome: String
            let sha: String
            let seq: Int
            let image: ImageSummary?
        }
        let sha = taken.sha
        let found = try api.readers.read { lab in
            try (try? lab.image(named: sha)).map { ($0, try lab.corrections(ofImage: sha).count) }
        }
        let image = found.map { ImageSummary($0.0, claim: api.claims.current()[sha], corrections: $0.1) }
        return try JSONBody.response(Answer(outcome: taken.how.rawValue, sha: sha, seq: taken.seq, image: image),
                                     status: taken.how == .alreadyKnown ? .ok : .created)
    }

    private func correct(_ request: Request, id: String, caller: Caller) async throws -> Response {
        try ContentType.require(request, among: ["image/png", "application/json"])
        let record = try api.readers.read { try $0.image(named: id) }
        if case .takenBy(let other) = api.claims.claim(record.sha, for: caller.name) {
            throw APIError(.conflict, "claimed", "\(record.name) is being corrected by \(other.annotator)")
        }
        // A mask of the image's size needs at most four bytes a pixel, whatever its format.
        let limit = record.width * record.height * 4 + (1 << 20)
        let name = "\((record.name as NSString).deletingPathExtension).\(caller.name).png"
        let based = request.uri.queryParameters["basedOnModel"].map(String.init) ?? record.predictionModel
        let taken: Taken
        if MadeCorrection.carried(by: request) {
            // Base64 takes four bytes for three, and the strokes a few hundred kilobytes.
            let made = try await MadeCorrection.read(request, limit: limit * 4 / 3 + (1 << 20))
            taken = try await api.gateway.takeCorrection(of: record, annotator: caller.annotator, basedOnModel: based,
                                                         making: made.making, bytes: made.mask, name: name)
        } else {
            taken = try await api.gateway.takeCorrection(of: record, annotator: caller.annotator, basedOnModel: based) { folder in
                try await BodyReceiver.write(request, into: folder, name: name, limit: limit)
            }
        }
        guard taken.how == .accepted else { return try respond(taken) }
        struct Corrected: Encodable {
            let outcome: String
            let mask: String
            let seq: Int
            let annotator: String?
            let basedOnModel: String?
            let disagreement: Disagreement?
        }
        let recorded = try api.readers.read { try $0.corrections(ofImage: record.sha).last { $0.seq == taken.seq } }
        return try JSONBody.response(Corrected(
            outcome: "accepted", mask: taken.sha, seq: taken.seq, annotator: caller.annotator, basedOnModel: based,
            disagreement: recorded?.disagreement
        ), status: .created)
    }
}
