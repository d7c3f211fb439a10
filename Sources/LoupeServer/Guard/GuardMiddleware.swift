import Hummingbird

/// Runs before every route: the host and origin rules of `HostGuard`.
struct GuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let hosts: HostGuard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try hosts.check(request)
        return try await next(request, context)
    }
}
