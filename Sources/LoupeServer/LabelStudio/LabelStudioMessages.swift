import Foundation

/// What Label Studio sends to its ML backend, as Loupe reads it. Fields the backend needs are
/// typed; every other field Label Studio adds (and it adds many, version to version) is ignored.

/// A project, which Label Studio names `5`, `"5.1764400000"` (`ID.CREATED`, in the ML backend
/// protocol) or `{"id": 5, ...}` (in webhooks).
struct ProjectID: Decodable, Sendable {
    let value: Int

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: IDKey.self), let id = try? object.decode(Int.self, forKey: .id) {
            value = id
            return
        }
        let single = try decoder.singleValueContainer()
        if let id = try? single.decode(Int.self) {
            value = id
        } else if let text = try? single.decode(String.self), let id = Int(text.split(separator: ".").first ?? "") {
            value = id
        } else {
            throw DecodingError.dataCorruptedError(in: single, debugDescription: "no Label Studio project id")
        }
    }
}

/// An id given as `7` or as the object it names, `{"id": 7, ...}` (a task, a user).
struct IDRef: Decodable, Sendable {
    let value: Int

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: IDKey.self) {
            value = try object.decode(Int.self, forKey: .id)
        } else {
            value = try decoder.singleValueContainer().decode(Int.self)
        }
    }
}

private enum IDKey: String, CodingKey { case id }

/// One value or a list of them: webhooks carry one annotation, imports a batch.
struct OneOrMany<Element: Decodable & Sendable>: Decodable, Sendable {
    let items: [Element]

    init(from decoder: any Decoder) throws {
        if let list = try? decoder.singleValueContainer().decode([Element].self) {
            items = list
        } else {
            items = [try decoder.singleValueContainer().decode(Element.self)]
        }
    }
}

/// `/ls/setup`: the project, its labeling config, and Label Studio's address and key.
struct SetupRequest: Decodable, Sendable {
    let project: ProjectID
    let schema: String?
    let hostname: String?
    let accessToken: String?

    enum CodingKeys: String, CodingKey {
        case project, schema, hostname, accessToken = "access_token"
    }
}

/// `/ls/predict`: the tasks to predict, with the project's labeling config when Label Studio sends it.
struct PredictRequest: Decodable, Sendable {
    let project: ProjectID
    let tasks: [LabelStudioTask]
    let labelConfig: String?
    /// With an interactive tool's context, the call asks for hints (see `InteractiveContext`).
    let params: PredictParams?

    enum CodingKeys: String, CodingKey {
        case project, tasks, labelConfig = "label_config", params
    }
}

/// A task: its id and its data, where the image reference sits under the config's data key.
struct LabelStudioTask: Decodable, Sendable {
    let id: Int?
    let project: ProjectID?
    /// Text fields of the task's data; other kinds of value are left out.
    let data: [String: String]

    enum CodingKeys: String, CodingKey { case id, project, data }

    init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        id = try? values.decode(Int.self, forKey: .id)
        project = try? values.decodeIfPresent(ProjectID.self, forKey: .project)
        data = (try? values.decodeIfPresent([String: TextField].self, forKey: .data))?.compactMapValues(\.text) ?? [:]
    }

    /// A data field's value if it is text; nil for a number, a list or an object.
    private struct TextField: Decodable {
        let text: String?

        init(from decoder: any Decoder) throws {
            text = try? decoder.singleValueContainer().decode(String.self)
        }
    }

    init(id: Int) {
        self.id = id
        project = nil
        data = [:]
    }
}

/// `/ls/webhook`: an event of the project, with the annotation(s) and task(s) it concerns.
struct WebhookRequest: Decodable, Sendable {
    let action: String?
    let project: ProjectID?
    let annotation: OneOrMany<LabelStudioAnnotation>?
    let task: OneOrMany<LabelStudioTask>?
}

/// A submitted annotation: who completed it (Label Studio's user) and its results.
struct LabelStudioAnnotation: Decodable, Sendable {
    let id: Int?
    let task: IDRef?
    let project: ProjectID?
    let completedBy: IDRef?
    let wasCancelled: Bool?
    let result: [ResultItem]?

    enum CodingKeys: String, CodingKey {
        case id, task, project, result
        case completedBy = "completed_by", wasCancelled = "was_cancelled"
    }
}

/// One region of an annotation. Only brush regions (`brushlabels`) are read. A region whose
/// value or RLE is not of the expected shape still decodes, marked, so that the annotation is
/// refused into rejected/ with a reason rather than the whole request with a 400.
struct ResultItem: Decodable, Sendable {
    let type: String?
    let fromName: String?
    let originalWidth: Int?
    let originalHeight: Int?
    /// The RLE's values as sent; nil when there is no `value.rle` list of numbers.
    let rle: [Int]?

    enum CodingKeys: String, CodingKey {
        case type, value
        case fromName = "from_name", originalWidth = "original_width", originalHeight = "original_height"
    }

    enum ValueKeys: String, CodingKey { case rle }

    init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        type = try? values.decodeIfPresent(String.self, forKey: .type)
        fromName = try? values.decodeIfPresent(String.self, forKey: .fromName)
        originalWidth = try? values.decodeIfPresent(Int.self, forKey: .originalWidth)
        originalHeight = try? values.decodeIfPresent(Int.self, forKey: .originalHeight)
        rle = try? values.nestedContainer(keyedBy: ValueKeys.self, forKey: .value).decode([Int].self, forKey: .rle)
    }

    init(type: String, fromName: String, width: Int, height: Int, rle: [Int]?) {
        self.type = type
        self.fromName = fromName
        originalWidth = width
        originalHeight = height
        self.rle = rle
    }
}

/// A brush region as Loupe sends it in a prediction, in label-studio-converter's format.
struct BrushRegion: Encodable, Sendable {
    struct Value: Encodable, Sendable {
        let format = "rle"
        let rle: [Int]
        let brushlabels: [String]
    }

    let id: String
    let fromName: String
    let toName: String
    let type = "brushlabels"
    let originalWidth: Int
    let originalHeight: Int
    let imageRotation = 0
    let readonly = false
    let value: Value

    enum CodingKeys: String, CodingKey {
        case id, type, readonly, value
        case fromName = "from_name", toName = "to_name", originalWidth = "original_width", originalHeight = "original_height"
        case imageRotation = "image_rotation"
    }
}

/// `/ls/predict`'s answer: one prediction per task, each the serving model's mask.
struct PredictResponse: Encodable, Sendable {
    struct Prediction: Encodable, Sendable {
        let result: [BrushRegion]
        let score: Double
        let modelVersion: String

        enum CodingKeys: String, CodingKey { case result, score, modelVersion = "model_version" }
    }

    let results: [Prediction]
    let modelVersion: String

    enum CodingKeys: String, CodingKey { case results, modelVersion = "model_version" }
}
