import Hummingbird
import LoupeDaemon
import LoupeLab
import Logging

/// Turns every failure into the API's JSON error: a route's own `APIError` as it is, the
/// router's 404 and 405, a stopping daemon as 503, a Label Studio request's error by its kind,
/// a full disk or a busy database as 503 (try again), and anything unexpected as a logged 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    /// The one mapping from a door's refusal to HTTP: 422 with where the file went, 503 with
    /// where it waits, 400 for a name or a request the lab cannot take.
    static func apiError(_ error: GatewayError) -> APIError {
        switch error {
        case .rejected(_, _, let path): APIError(.unprocessableContent, "rejected", error.description, rejectedPath: path)
        case .deferred: APIError(.serviceUnavailable, "unavailable", error.description)
        case .badName, .badCorrection: APIError.badRequest(error.description)
        }
    }

    /// A review action the image's state or the text refuses.
    static func reviewError(_ error: ReviewError) -> APIError {
        switch error {
        case .badText: APIError.badRequest(error.description)
        case .ownCorrection: APIError(.forbidden, "own_correction", error.description)
        case .noCorrection, .unknownCorrection, .notSetAside: APIError(.conflict, "conflict", error.description)
        }
    }

    /// The API error a known kind of failure is answered with; nil for an unexpected one.
    static func answer(_ error: any Error) -> APIError? {
        switch error {
        case let error as APIError: error
        case let error as GatewayError: apiError(error)
        case let error as LabelStudioError: error.apiError
        case let error as HintError: error.apiError
        case let error as MailboxError: APIError(.serviceUnavailable, "unavailable", error.description)
        case let error as LookupError: APIError(.notFound, "unknown_image", error.description)
        case let error as ReviewError: reviewError(error)
        case let error as LoginCodeError: APIError(.unauthorized, "login_refused", error.description)
        default: nil
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error where Self.answer(error) != nil {
            return try Self.answer(error)!.response(from: request, context: context)
        } catch let error as HTTPError {
            let code = switch error.status {
            case .notFound: "not_found"
            case .methodNotAllowed: "method_not_allowed"
            case .contentTooLarge: "too_large"
            default: "bad_request"
            }
            let message = error.body ?? (error.status == .notFound ? "no such path: \(request.uri.path)" : error.status.reasonPhrase)
            return try APIError(error.status, code, message).response(from: request, context: context)
        } catch where TransientFault.contains(error) {
            logger.warning("\(request.method) \(request.uri.path): \(error); answered 503")
            return try APIError(.serviceUnavailable, "unavailable", "the lab cannot take this now (\(error)); try again")
                .response(from: request, context: context)
        } catch {
            logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            return try APIError(.internalServerError, "internal", "\(error)").response(from: request, context: context)
        }
    }
}
