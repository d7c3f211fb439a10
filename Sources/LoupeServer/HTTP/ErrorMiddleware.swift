import Hummingbird
import LoupeDaemon
import LoupeLab
import Logging

/// Turns every failure into the API's JSON error: a route's own `APIError` as it is, the
/// router's 404 and 405, a stopping daemon as 503, a Label Studio request's error by its kind,
/// a full disk or a busy database as 503 (try again), and anything unexpected as a logged 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as MailboxError {
            return try APIError(.serviceUnavailable, "unavailable", error.description).response(from: request, context: context)
        } catch let error as LabelStudioError {
            return try error.apiError.response(from: request, context: context)
        } catch let error as LookupError {
            return try APIError(.notFound, "unknown_image", error.description).response(from: request, context: context)
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
