import Foundation
import HTTPTypes
import Hummingbird
import LoupeDaemon
import LoupeLab

/// What any caller may look at: status, the queue, images with their masks and history, models.
struct ReadRoutes {
    let api: LabAPI

    func add(to router: Router<LabContext>) {
        let v1 = router.group("api/v1")
        v1.on("status", .get, needs: .reader) { _, _, caller in try api.status(caller: caller) }
        v1.onForAnyone("session", .get) { _, _, caller in
            struct Session: Encodable {
                let annotator: String?
                let role: String?
                let tokensRequired: Bool
            }
            // Answers without a token too: it is how the page learns that it must sign in.
            return try JSONBody.response(Session(annotator: caller?.annotator, role: caller?.role.rawValue,
                                                 tokensRequired: try api.access.tokensRequired()))
        }
        v1.on("queue", .get, needs: .reader) { request, _, caller in try queue(request, caller: caller) }
        v1.on("images", .get, needs: .reader) { request, _, caller in try images(request, caller: caller) }
        v1.on("images/:id", .get, needs: .reader) { _, context, _ in try detail(id: try context.parameters.require("id")) }
        v1.on("images/:id/history", .get, needs: .reader) { _, context, _ in
            let rows = try api.readers.read { try $0.history(of: try context.parameters.require("id")).events }
            return JSONBody.bytes(try EventJSON.list(rows), contentType: "application/json")
        }
        v1.on("images/:id/:file", .get, needs: .reader) { request, context, _ in
            try await picture(id: try context.parameters.require("id"), file: try context.parameters.require("file"),
                              annotator: request.uri.queryParameters["annotator"].map(String.init))
        }
        v1.on("models", .get, needs: .reader) { _, _, _ in
            struct Models: Encodable { let items: [ModelView] }
            return try JSONBody.response(Models(items: try api.readers.read { try $0.models() }.map(ModelView.init)))
        }
    }

    private func queue(_ request: Request, caller: Caller) throws -> Response {
        let name = caller.name
        let query = request.uri.queryParameters
        let limit = try Query.integer(request, "limit", default: 50, within: 1...1000)
        var strategy: QueueStrategy?
        if let text = query["strategy"] {
            guard let parsed = QueueStrategy(String(text)) else {
                throw APIError.badRequest("strategy must be uncertainty, fifo or random:SEED, not '\(Query.shown(text))'")
            }
            strategy = parsed
        }
        let claims = api.claims.current()
        // The answer depends on the head, the query, who asks and the claims: cached on all four.
        let fingerprint = claims.map { "\($0.key):\($0.value.annotator):\($0.value.expires.timeIntervalSince1970)" }.sorted().joined(separator: ",")
        let key = "\(strategy?.description ?? "default")|\(limit)|\(name)|\(fingerprint)"
        let body = try api.readers.read { lab in
            try api.queueCache.value(for: key, head: try lab.headSeq()) {
                let others = Set(claims.filter { $0.value.annotator != name }.keys)
                let open = try lab.toDo(strategy: strategy, limit: limit, excluding: others)
                let counts = try lab.correctionCounts()
                struct Queue: Encodable {
                    let strategy: String
                    let total: Int
                    let items: [ImageSummary]
                }
                return try JSONBody.encode(Queue(
                    strategy: (strategy ?? lab.settings.queueStrategy).description, total: open.total,
                    items: try lab.reviewed(open.images).map { ImageSummary($0, claim: claims[$0.image.sha], corrections: counts[$0.image.sha] ?? 0) }
                ))
            }
        }
        return JSONBody.bytes(body, contentType: "application/json")
    }

    private func images(_ request: Request, caller: Caller) throws -> Response {
        let limit = try Query.integer(request, "limit", default: 100, within: 1...10_000)
        let offset = try Query.integer(request, "offset", default: 0, within: 0...Int(Int32.max))
        let filter = try ReviewQuery.filter(request, caller: caller)
        let claims = api.claims.current()
        let (all, counts) = try api.readers.read { lab in (try lab.reviewList(filter), try lab.correctionCounts()) }
        struct Page: Encodable {
            let total: Int
            let items: [ImageSummary]
        }
        return try JSONBody.response(Page(
            total: all.count,
            items: all.dropFirst(offset).prefix(limit).map { ImageSummary($0, claim: claims[$0.image.sha], corrections: counts[$0.image.sha] ?? 0) }
        ))
    }

    private func detail(id: String) throws -> Response {
        let (reviewed, names, corrections, comments) = try api.readers.read { lab in
            let record = try lab.image(named: id)
            return (try lab.reviewed([record])[0], try lab.history(of: record.sha).names, try lab.corrections(ofImage: record.sha),
                    try lab.comments(ofImage: record.sha))
        }
        let claim = api.claims.current()[reviewed.image.sha]
        return try JSONBody.response(ImageDetail(
            summary: ImageSummary(reviewed, claim: claim, corrections: corrections.count), names: names, corrections: corrections,
            comments: comments
        ))
    }

    /// The image, its newest prediction (mask or probabilities) or its latest correction (or
    /// `annotator`'s latest, for two annotators side by side), as PNG. A pending image the
    /// serving model has not predicted yet is predicted now: what a person
    /// opens shows the newest model, wherever the daemon's sweep is.
    private func picture(id: String, file: String, annotator: String?) async throws -> Response {
        let (found, serving) = try api.readers.read { lab in (try lab.image(named: id), try lab.currentModel()?.sha) }
        var record = found
        if file == "prediction.png" || file == "probability.png", record.state != .corrected, let serving,
           record.predictionModel != serving {
            do {
                _ = try await api.gateway.prediction(of: record.sha)
                record = try api.readers.read { try $0.image(named: record.sha) }
            } catch let failure as OnDemandError {
                api.logger.warning("on-demand prediction of \(record.name): \(failure)")
            }
        }
        let (sha, model): (String?, String?) = try api.readers.read { lab in
            switch file {
            case "image.png": return (record.sha, nil)
            case "prediction.png": return (record.predictionMask, record.predictionModel)
            case "probability.png": return (try lab.latestPrediction(ofImage: record.sha)?.probability, record.predictionModel)
            case "correction.png":
                guard let annotator else { return (record.correctionMask, nil) }
                guard let theirs = try lab.corrections(ofImage: record.sha).last(where: { $0.annotator == annotator }) else {
                    throw APIError.notFound("\(Query.shown(annotator)) has not corrected image \(record.name)")
                }
                return (theirs.mask, nil)
            default: throw APIError.notFound("no such file: \(Query.shown(file)); try image.png, prediction.png, probability.png or correction.png")
            }
        }
        guard let sha else {
            throw APIError.notFound("image \(record.name) has no \(file.replacingOccurrences(of: ".png", with: "")) yet")
        }
        var response = JSONBody.bytes(try api.readers.read { try $0.png(ofObject: sha) }, contentType: "image/png")
        // Objects are content-addressed: the same URL may show a newer prediction later, but
        // the ETag of one object never changes.
        response.headers[.eTag] = "\"\(sha)\""
        response.headers[.cacheControl] = "no-cache"
        if let model { response.headers[.loupeModel] = model }
        return response
    }
}

extension HTTPField.Name {
    static let loupeModel = HTTPField.Name("X-Loupe-Model")!
}
