import HTTPTypes
import Hummingbird

/// The page and the OpenAPI document, from the table compiled into the binary: a request's
/// path is only ever a key into it, never a path on disk.
struct PageRoutes {
    func add(to router: Router<LabContext>) {
        router.onForAnyone("/", .get) { _, _, _ in try file("index.html") }
        router.onForAnyone("api/v1/openapi.json", .get) { _, _, _ in try file("openapi.json") }
        router.onForAnyone(":file", .get) { _, context, _ in try file(try context.parameters.require("file")) }
    }

    private func file(_ name: String) throws -> Response {
        guard let file = StaticFiles.shared.files[name] else {
            throw APIError.notFound("no such page file: \(Query.shown(name))")
        }
        var response = JSONBody.bytes(file.bytes, contentType: file.contentType)
        response.headers[.cacheControl] = "no-cache"
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' blob: data:; connect-src 'self'"
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}
