import HTTPTypes
import Hummingbird

/// Every refusal the API gives: a status and a JSON body naming the problem,
/// `{"error": {"code": "unknown_image", "message": "no image matches 'im9'"}}`.
struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    /// Where a refused upload went, so the caller can find its bytes.
    var rejectedPath: String?

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String, rejectedPath: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.rejectedPath = rejectedPath
    }

    var description: String { "\(status.code) \(code): \(message)" }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONBody.response(ErrorBody(error: .init(code: code, message: message, rejectedPath: rejectedPath)))
        response.status = status
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"loupe\"" }
        if status == .serviceUnavailable { response.headers[.retryAfter] = String(Self.retryAfterSeconds) }
        return response
    }

    /// What a 503 asks the client to wait: long enough for a busy database or a disk that an
    /// operator is clearing, short enough that nobody gives up.
    static let retryAfterSeconds = 5

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad_request", message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
}

private struct ErrorBody: Encodable {
    struct Detail: Encodable {
        let code: String
        let message: String
        let rejectedPath: String?
    }

    let error: Detail
}
