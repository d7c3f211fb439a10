import Foundation
import Hummingbird
import LoupeDaemon
import LoupeLab

/// Label Studio's ML backend protocol under `/ls`: connect Loupe in a project's Model settings
/// as `http://HOST:PORT/ls`. Label Studio asks `/health` and `/setup` when connecting and
/// before predicting, `/predict` for tasks without a prediction of the current model version,
/// and posts every project event to `/webhook`; Loupe takes submitted annotations from there.
///
/// Predictions are the serving model's, made on demand when the daemon has not yet reached the
/// image. Retraining is Loupe's own policy, not one training per annotation.
struct LabelStudioRoutes {
    let api: LabAPI
    let connection: LabelStudioConnection
    let tasks: LabelStudioTasks
    let annotations: LabelStudioAnnotations

    init(api: LabAPI) {
        self.api = api
        connection = LabelStudioConnection(lab: api.readers.lab)
        tasks = LabelStudioTasks(api: api, connection: connection)
        annotations = LabelStudioAnnotations(api: api, connection: connection, tasks: tasks, users: LabelStudioUsers())
    }

    func add(to router: Router<LabContext>) {
        let ls = router.group("ls")
        ls.on("health", .get, needs: .reader) { _, _, _ in
            return try JSONBody.response(["status": "UP", "model_class": "Loupe UNet"])
        }
        ls.on("setup", .post, needs: .annotator) { request, _, _ in try await setup(request) }
        ls.on("predict", .post, needs: .annotator) { request, _, _ in try await predict(request) }
        ls.on("webhook", .post, needs: .annotator) { request, _, caller in try await webhook(request, caller: caller) }
    }

    /// Records the project's labeling config. Label Studio's address in the payload is only
    /// compared with the operator's, never used: the key goes where the operator said.
    private func setup(_ request: Request) async throws -> Response {
        let body = try await Self.object(request, limit: api.settings.server.maxJSONBytes)
        let project = try Self.project(body["project"])
        guard let schema = body["schema"] as? String else { throw APIError.badRequest("setup needs the project's labeling config in 'schema'") }
        _ = try LabelStudioConnection.parse(schema)
        guard let hostname = body["hostname"] as? String, hostname.hasPrefix("http://") || hostname.hasPrefix("https://") else {
            throw APIError.badRequest("setup needs Label Studio's address in 'hostname' (http:// or https://)")
        }
        let configured = api.settings.labelStudio.address()
        if configured.flatMap(LabelStudioSettings.origin) != LabelStudioSettings.origin(hostname) {
            api.logger.warning("Label Studio's setup names \(Query.shown(hostname)), not the configured \(configured ?? "(none: set labelStudio.url)"); its key goes only to the configured one")
        }
        let key = ProcessInfo.processInfo.environment["LABEL_STUDIO_API_KEY"] ?? body["access_token"] as? String ?? ""
        try connection.setUp(accessToken: key, project: project, schema: schema)
        return try JSONBody.response(["model_version": try servingVersion()])
    }

    private func predict(_ request: Request) async throws -> Response {
        let body = try await Self.object(request, limit: api.settings.server.maxJSONBytes)
        let project = try Self.project(body["project"])
        guard let all = body["tasks"] as? [[String: Any]] else { throw APIError.badRequest("predict needs a list of tasks in 'tasks'") }
        // Each task may mean a download and a prediction: a bounded number per call, and
        // fewer results than tasks makes Label Studio ask again for the rest.
        let list = all.prefix(api.settings.labelStudio.maxTasksPerRequest)
        let config = try (body["label_config"] as? String).map(LabelStudioConnection.parse) ?? connection.config(project: project)
        var results: [[String: Any]] = []
        var firstFailure: (any Error)?
        for task in list {
            do {
                results.append(try await prediction(for: try Self.reference(task, project: project, config: config), config: config))
            } catch {
                api.logger.warning("Label Studio task \(task["id"] ?? "?"): no prediction: \(error)")
                firstFailure = firstFailure ?? error
            }
        }
        // Fewer results than tasks makes Label Studio ask again one task at a time, so each
        // failing task gets its own error and the others their predictions.
        if results.isEmpty, let firstFailure { throw firstFailure }
        return try Self.json(["results": results, "model_version": try servingVersion()])
    }

    private func prediction(for task: LabelStudioTasks.TaskReference, config: LabelingConfig) async throws -> [String: Any] {
        let image = try await tasks.image(of: task)
        let made: PredictionMade
        do { made = try await api.gateway.prediction(of: image.sha) } catch let error as OnDemandError {
            if case .busy = error { throw APIError(.serviceUnavailable, "too_busy", error.description) }
            throw APIError(.serviceUnavailable, "no_prediction", error.description)
        }
        let mask = try api.readers.read { try $0.maskPixels(ofObject: made.mask) }
        return [
            "result": [BrushResult.result(mask, config: config, id: "loupe-\(made.mask.prefix(10))")],
            "score": 1 - made.uncertainty,
            "model_version": Self.version(made.model),
        ]
    }

    private func webhook(_ request: Request, caller: Caller) async throws -> Response {
        let body = try await Self.object(request, limit: api.settings.server.maxJSONBytes)
        let action = body["action"] as? String ?? ""
        switch action {
        case "ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_CREATED":
            let given = (body["annotation"] as? [String: Any]).map { [$0] } ?? body["annotation"] as? [[String: Any]] ?? []
            let taskList = (body["task"] as? [String: Any]).map { [$0] } ?? body["task"] as? [[String: Any]] ?? []
            guard !given.isEmpty else { throw APIError.badRequest("\(action) without an annotation") }
            // One annotation's refusal is the answer's status; in a batch (an import) each
            // refusal is listed and the others are still taken.
            struct Answer: Encodable {
                let taken: [LabelStudioAnnotations.Taken]
                let refused: [String]
            }
            var taken: [LabelStudioAnnotations.Taken] = [], refused: [String] = []
            for annotation in given where annotation["was_cancelled"] as? Bool != true {
                do {
                    taken.append(try await take(annotation, body: body, tasks: taskList, caller: caller))
                } catch {
                    if given.count == 1 { throw error }
                    refused.append("annotation \(annotation["id"] as? Int ?? 0): \(ErrorMiddleware<LabContext>.answer(error) ?? error)")
                }
            }
            return try JSONBody.response(Answer(taken: taken, refused: refused))
        case "START_TRAINING":
            try caller.require(.operator)
            let by = caller.annotator ?? "label-studio"
            let seq = try await api.gateway.record { try $0.requestTraining(by: by) }
            return try Self.json(["status": "training requested", "seq": seq])
        default:
            return try Self.json(["status": "ignored", "action": action])
        }
    }

    private func take(_ annotation: [String: Any], body: [String: Any], tasks taskList: [[String: Any]], caller: Caller) async throws
        -> LabelStudioAnnotations.Taken
    {
        let taskID = (annotation["task"] as? Int) ?? (annotation["task"] as? [String: Any])?["id"] as? Int
        let task = taskList.first { $0["id"] as? Int == taskID } ?? ["id": taskID as Any]
        let project = try Self.project(body["project"] ?? annotation["project"] ?? task["project"])
        let config = try connection.config(project: project)
        let reference = try Self.reference(task, project: project, config: config)
        let raw = Array((try? JSONSerialization.data(withJSONObject: annotation, options: [.sortedKeys])) ?? Data())
        return try await annotations.take(annotation: annotation, task: reference, raw: raw, caller: caller)
    }

    private func servingVersion() throws -> String {
        try api.readers.read { try $0.currentModel() }.map { Self.version($0.sha) } ?? "untrained"
    }

    static func version(_ model: String) -> String { String(model.prefix(12)) }

    static func reference(_ task: [String: Any], project: Int, config: LabelingConfig) throws -> LabelStudioTasks.TaskReference {
        guard let id = task["id"] as? Int else { throw APIError.badRequest("a task without a numeric id") }
        let reference = (task["data"] as? [String: Any])?[config.dataKey] as? String
        return LabelStudioTasks.TaskReference(project: project, id: id, reference: reference)
    }

    /// Label Studio names projects `ID.CREATED` in the protocol and `{"id": ID}` in webhooks.
    static func project(_ value: Any?) throws -> Int {
        if let id = value as? Int { return id }
        if let object = value as? [String: Any], let id = object["id"] as? Int { return id }
        if let text = value as? String, let id = Int(text.split(separator: ".").first ?? "") { return id }
        throw APIError.badRequest("no Label Studio project id in 'project'")
    }

    static func object(_ request: Request, limit: Int) async throws -> [String: Any] {
        let buffer = try await JSONRequest.bytes(request, limit: limit)
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] else {
            throw APIError.badRequest("the body is not a JSON object")
        }
        return object
    }

    static func json(_ object: [String: Any]) throws -> Response {
        JSONBody.bytes(Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])), contentType: "application/json")
    }
}
