import Foundation
import Hummingbird
import LoupeLab

/// Sets `LabContext.caller` from the request's credential before any route runs: a token
/// that is not the lab's is refused here with 401, a missing one leaves the caller nil (the
/// route's `require` then answers 401), and an open loopback lab's one user is its operator.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = LabContext
    let access: Access

    func handle(_ request: Request, context: LabContext, next: (Request, LabContext) async throws -> Response) async throws -> Response {
        var context = context
        context.caller = try access.caller(request)
        return try await next(request, context)
    }
}

/// Every route of the lab is added through one of these: each states the role it needs, and
/// its handler receives only a caller that holds it. `RouteAccessTests` walks the router and
/// tries every route without a credential and with each role, so a route added otherwise fails.
extension RouterMethods where Context == LabContext {
    /// A route that answers only callers of at least `role`.
    @discardableResult
    func on(
        _ path: RouterPath, _ method: HTTPRequest.Method, needs role: Role,
        _ handler: @escaping @Sendable (Request, LabContext, Caller) async throws -> Response
    ) -> Self {
        on(path, method: method) { request, context in try await handler(request, context, try context.require(role)) }
    }

    /// A route anyone may fetch: the page, the API document, the session.
    @discardableResult
    func onForAnyone(
        _ path: RouterPath, _ method: HTTPRequest.Method,
        _ handler: @escaping @Sendable (Request, LabContext, Caller?) async throws -> Response
    ) -> Self {
        on(path, method: method) { request, context in try await handler(request, context, context.caller) }
    }
}
