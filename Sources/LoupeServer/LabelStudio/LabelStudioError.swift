/// Why a Label Studio request could not be served; each maps to one HTTP status and is sent
/// back as `{"error": {"code", "message"}}`, which Label Studio shows in its logs and UI.
enum LabelStudioError: Error, Equatable, CustomStringConvertible {
    case badRequest(String)
    case badConfig(String)
    case notSetUp(String)
    case unknownTask(String)
    case unreachable(String)

    var description: String {
        switch self {
        case .badRequest(let s), .badConfig(let s), .notSetUp(let s), .unknownTask(let s), .unreachable(let s): s
        }
    }

    var apiError: APIError {
        switch self {
        case .badRequest(let s): APIError.badRequest(s)
        case .badConfig(let s): APIError(.unprocessableContent, "unusable_config", s)
        case .notSetUp(let s): APIError(.conflict, "not_set_up", s)
        case .unknownTask(let s): APIError(.notFound, "unknown_task", s)
        case .unreachable(let s): APIError(.badGateway, "label_studio_unreachable", s)
        }
    }
}
