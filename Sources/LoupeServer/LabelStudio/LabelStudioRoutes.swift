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
        let body = try await JSONRequest.decode(SetupRequest.self, from: request, limit: api.settings.server.maxJSONBytes)
        guard let schema = body.schema else { throw APIError.badRequest("setup needs the project's labeling config in 'schema'") }
        _ = try LabelStudioConnection.parse(schema)
        guard let hostname = body.hostname, hostname.hasPrefix("http://") || hostname.hasPrefix("https://") else {
            throw APIError.badRequest("setup needs Label Studio's address in 'hostname' (http:// or https://)")
        }
        let configured = api.settings.labelStudio.address()
        if configured.flatMap(WebOrigin.of) != WebOrigin.of(hostname) {
            api.logger.warning("Label Studio's setup names \(Query.shown(hostname)), not the configured \(configured ?? "(none: set labelStudio.url)"); its key goes only to the configured one")
        }
        let key = ProcessInfo.processInfo.environment["LABEL_STUDIO_API_KEY"] ?? body.accessToken ?? ""
        try connection.setUp(accessToken: key, project: body.project.value, schema: schema)
        return try JSONBody.response(["model_version": try servingVersion()])
    }

    private func predict(_ request: Request) async throws -> Response {
        let body = try await JSONRequest.decode(PredictRequest.self, from: request, limit: api.settings.server.maxJSONBytes)
        let project = body.project.value
        // Each task may mean a download and a prediction: a bounded number per call, and
        // fewer results than tasks makes Label Studio ask again for the rest.
        let list = body.tasks.prefix(api.settings.labelStudio.maxTasksPerRequest)
        let config = try body.labelConfig.map(LabelStudioConnection.parse) ?? connection.config(project: project)
        if let context = body.params?.context, let task = list.first {
            let hinted = try await hinted(try Self.reference(task, project: project, config: config), context: context, config: config)
            return try JSONBody.response(PredictResponse(results: [hinted], modelVersion: hinted.modelVersion))
        }
        var results: [PredictResponse.Prediction] = []
        var firstFailure: (any Error)?
        for task in list {
            do {
                results.append(try await prediction(for: try Self.reference(task, project: project, config: config), config: config))
            } catch {
                api.logger.warning("Label Studio task \(task.id.map(String.init) ?? "?"): no prediction: \(error)")
                firstFailure = firstFailure ?? error
            }
        }
        // Fewer results than tasks makes Label Studio ask again one task at a time, so each
        // failing task gets its own error and the others their predictions.
        if results.isEmpty, let firstFailure { throw firstFailure }
        return try JSONBody.response(PredictResponse(results: results, modelVersion: try servingVersion()))
    }

    private func prediction(for task: LabelStudioTasks.TaskReference, config: LabelingConfig) async throws -> PredictResponse.Prediction {
        let (made, mask) = try await predicted(task)
        return PredictResponse.Prediction(
            result: [BrushResult.result(mask, config: config, id: "loupe-\(made.mask.prefix(10))")],
            score: 1 - made.uncertainty, modelVersion: Self.version(made.model)
        )
    }

    /// The task's image, its prediction by the serving model (made now if need be) and that
    /// prediction's mask.
    private func predicted(_ task: LabelStudioTasks.TaskReference) async throws -> (PredictionMade, MaskPixels) {
        let image = try await tasks.image(of: task)
        let made: PredictionMade
        do { made = try await api.gateway.prediction(of: image.sha) } catch let error as OnDemandError {
            if case .busy = error { throw APIError(.serviceUnavailable, "too_busy", error.description) }
            throw APIError(.serviceUnavailable, "no_prediction", error.description)
        }
        return (made, try api.readers.read { try $0.maskPixels(ofObject: made.mask) })
    }

    /// The task's prediction with the context's keypoints as hints: the whole mask, as
    /// `/predict` always answers, the hinted region pasted into the serving model's prediction.
    private func hinted(_ task: LabelStudioTasks.TaskReference, context: InteractiveContext, config: LabelingConfig) async throws
        -> PredictResponse.Prediction
    {
        let (made, predicted) = try await predicted(task)
        let clicks = context.clicks(width: predicted.width, height: predicted.height)
        guard !clicks.isEmpty else { throw APIError.badRequest("the interactive context holds no keypoint to take as a hint") }
        let answer: HintAnswer
        do { answer = try await api.gateway.hint(HintAsked(image: made.image, clicks: clicks, newCount: nil, model: made.model)) }
        catch let busy as OnDemandError { throw APIError(.serviceUnavailable, "too_busy", busy.description) }
        let mask = answer.pasted(into: predicted)
        return PredictResponse.Prediction(
            result: [BrushResult.result(mask, config: config, id: "loupe-hint-\(made.mask.prefix(10))")],
            score: 1 - made.uncertainty, modelVersion: Self.version(answer.model)
        )
    }

    private func webhook(_ request: Request, caller: Caller) async throws -> Response {
        // Kept as it came: a refused annotation is stored with the request that carried it.
        let raw = Array(try await JSONRequest.bytes(request, limit: api.settings.server.maxJSONBytes).readableBytesView)
        let body: WebhookRequest
        do { body = try JSONDecoder().decode(WebhookRequest.self, from: Data(raw)) } catch {
            throw APIError.badRequest("the body is not a Label Studio webhook: \((error as? DecodingError).map(Settings.describe) ?? "\(error)")")
        }
        let action = body.action ?? ""
        switch action {
        case "ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_CREATED":
            let given = body.annotation?.items ?? []
            guard !given.isEmpty else { throw APIError.badRequest("\(action) without an annotation") }
            // One annotation's refusal is the answer's status; in a batch (an import) each
            // refusal is listed and the others are still taken.
            struct Answer: Encodable {
                let taken: [LabelStudioAnnotations.Taken]
                let refused: [String]
            }
            var taken: [LabelStudioAnnotations.Taken] = [], refused: [String] = []
            for annotation in given where annotation.wasCancelled != true {
                do {
                    taken.append(try await take(annotation, body: body, raw: raw, caller: caller))
                } catch {
                    if given.count == 1 { throw error }
                    refused.append("annotation \(annotation.id ?? 0): \(ErrorMiddleware<LabContext>.answer(error) ?? error)")
                }
            }
            return try JSONBody.response(Answer(taken: taken, refused: refused))
        case "START_TRAINING":
            try caller.require(.operator)
            let by = caller.annotator ?? "label-studio"
            let seq = try await api.gateway.record { try $0.requestTraining(by: by) }
            struct Requested: Encodable {
                let status: String
                let seq: Int
            }
            return try JSONBody.response(Requested(status: "training requested", seq: seq))
        default:
            return try JSONBody.response(["status": "ignored", "action": action])
        }
    }

    private func take(_ annotation: LabelStudioAnnotation, body: WebhookRequest, raw: [UInt8], caller: Caller) async throws
        -> LabelStudioAnnotations.Taken
    {
        let taskID = annotation.task?.value
        let task = body.task?.items.first { $0.id == taskID && taskID != nil } ?? LabelStudioTask(id: taskID ?? -1)
        guard let project = (body.project ?? annotation.project ?? task.project)?.value else {
            throw APIError.badRequest("no Label Studio project id in 'project'")
        }
        let config = try connection.config(project: project)
        let reference = try Self.reference(task, project: project, config: config)
        return try await annotations.take(annotation: annotation, task: reference, raw: raw, caller: caller)
    }

    private func servingVersion() throws -> String {
        try api.readers.read { try $0.currentModel() }.map { Self.version($0.sha) } ?? "untrained"
    }

    static func version(_ model: String) -> String { String(model.prefix(12)) }

    static func reference(_ task: LabelStudioTask, project: Int, config: LabelingConfig) throws -> LabelStudioTasks.TaskReference {
        guard let id = task.id, id >= 0 else { throw APIError.badRequest("a task without a numeric id") }
        return LabelStudioTasks.TaskReference(project: project, id: id, reference: task.data[config.dataKey])
    }
}
