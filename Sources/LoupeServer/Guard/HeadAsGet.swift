import Hummingbird

/// HEAD answered wherever GET is: the request is routed as a GET and its answer sent without
/// the body (the headers, Content-Length included, stay). Wraps the router's responder, since
/// the router itself finds no HEAD route and answers 404 before any middleware could rewrite it.
struct HeadAsGet<Inner: HTTPResponder>: HTTPResponder {
    let inner: Inner

    func respond(to request: Request, context: Inner.Context) async throws -> Response {
        guard request.method == .head else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await inner.respond(to: Request(head: head, body: request.body), context: context)
        response.body = ResponseBody()
        return response
    }
}
