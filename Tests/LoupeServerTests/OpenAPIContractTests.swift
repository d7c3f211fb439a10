import Foundation
import LoupeHarness
import LoupeLab
import Testing
@testable import LoupeServer

/// Static/openapi.json is written by hand, so it is held to the router both ways: every route is
/// documented, every documented operation is a route that answers with a documented status,
/// and real answers of a real `loupe run` fit the documented schemas.
///
/// `/ls/...` is left out on purpose: it is Label Studio's ML-backend protocol, whose paths and
/// bodies Label Studio defines and `LabelStudioAPITests` checks; the document describes Loupe's
/// own API. HEAD is no route of its own: `HeadAsGet` answers it for every GET, as the
/// document's description says.
@Suite(.serialized) struct OpenAPIContractTests {
    static func document() throws -> [String: Any] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Static/openapi.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path.standardized)) as? [String: Any])
    }

    /// Every documented operation as `METHOD /path`, with the path's `{param}` names.
    static func operations(_ document: [String: Any]) throws -> [String: [String: Any]] {
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var found: [String: [String: Any]] = [:]
        for (path, item) in paths {
            for (method, operation) in item where ["get", "put", "post", "delete", "patch", "head", "options"].contains(method) {
                found["\(method.uppercased()) \(path)"] = try #require(operation as? [String: Any])
            }
        }
        return found
    }

    /// The router's routes as `METHOD /path` with `{param}`, Label Studio's left out.
    static func routes(lab: String) throws -> [String] {
        try RouteAccessTests.routes(lab: lab)
            .map { "\($0.method) \($0.path.replacingOccurrences(of: #":([a-z]+)"#, with: "{$1}", options: .regularExpression))" }
            .filter { !$0.contains(" /ls/") }
    }

    /// Whether a route answers a documented operation: the same method, and path segments that
    /// are equal or where the route has a parameter (`GET /{file}` serves `GET /app.js`); a
    /// documented `{param}` is answered only by a route's parameter.
    static func matches(route: String, documented: String) -> Bool {
        let r = route.split(separator: " "), d = documented.split(separator: " ")
        guard r.count == 2, d.count == 2, r[0] == d[0] else { return false }
        let routePath = r[1].split(separator: "/"), documentedPath = d[1].split(separator: "/")
        return routePath.count == documentedPath.count
            && zip(routePath, documentedPath).allSatisfy { $0 == $1 || $0.hasPrefix("{") }
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() throws {
        let lab = NSTemporaryDirectory() + "loupe-openapi-\(UUID().uuidString)"
        try Workspace.initialize(at: lab)
        defer { try? FileManager.default.removeItem(atPath: lab) }
        let routes = try Self.routes(lab: lab)
        let documented = try Array(Self.operations(try Self.document()).keys)
        #expect(routes.count >= 20 && documented.count >= 20, "both sides were read: \(routes.count) routes, \(documented.count) operations")
        for route in routes {
            #expect(documented.contains { Self.matches(route: route, documented: $0) }, "the router serves \(route), the document does not name it")
        }
        for operation in documented {
            #expect(routes.contains { Self.matches(route: $0, documented: operation) }, "the document names \(operation), the router has no such route")
        }
    }

    @Test func realAnswersHaveDocumentedStatusesAndFitTheirSchemas() async throws {
        var tokens: [Role: String] = [:]
        let lab = try ServerHarness { root in
            for role in [Role.reader, .annotator, .operator] { tokens[role] = try Workspace(at: root).addAnnotator(name: "a-\(role)", role: role) }
        }
        let check = Answers(document: try Self.document(), lab: lab)
        let annotator = try #require(tokens[.annotator]), reader = try #require(tokens[.reader])
        try await check.expect(201, "POST /api/v1/images", "/api/v1/images?name=im1.png", body: try photoPNG(), type: "image/png", token: annotator)
        let mask = try maskPNG { x, y in abs(x - 13 - y / 3) < 2 }
        try await check.expect(201, "POST /api/v1/images/{id}/corrections", "/api/v1/images/im1/corrections", body: mask, type: "image/png", token: annotator)
        for (operation, path) in [("GET /api/v1/status", "/api/v1/status"), ("GET /api/v1/session", "/api/v1/session"),
                                  ("GET /api/v1/queue", "/api/v1/queue"), ("GET /api/v1/images", "/api/v1/images"),
                                  ("GET /api/v1/images/{id}", "/api/v1/images/im1"), ("GET /api/v1/images/{id}/history", "/api/v1/images/im1/history"),
                                  ("GET /api/v1/models", "/api/v1/models")] {
            try await check.expect(200, operation, path, token: reader)
        }
        try await check.expect(200, "GET /api/v1/session", "/api/v1/session")
        try await check.expect(404, "GET /api/v1/images/{id}", "/api/v1/images/im9", token: reader)
        try await check.expect(401, "GET /api/v1/status", "/api/v1/status")
        try await check.expect(403, "POST /api/v1/training", "/api/v1/training", body: Array(#"{"action":"pause"}"#.utf8), token: annotator)
        try await check.expect(403, "POST /api/v1/training", "/api/v1/training", body: Array(#"{"action":"pause"}"#.utf8),
                               token: tokens[.operator], headers: ["Origin": "http://evil.example"])
        try await check.expect(415, "POST /api/v1/training", "/api/v1/training", body: Array(#"{"action":"pause"}"#.utf8), type: "text/plain", token: tokens[.operator])
        let head = try await lab.request("HEAD", "/api/v1/status", token: reader)
        #expect(head.status == 200 && head.body.isEmpty && head.headers["content-type"] == "application/json",
                "HEAD answers as GET without the body, as the document says: \(head.status) \(head.headers)")
        let port = try #require(Int(lab.url.split(separator: ":").last ?? ""))
        let rebound = try RawHTTP.exchange(port: port, RawHTTP.get("/api/v1/status", host: "evil.example:\(port)"))
        let blank = try #require(rebound.range(of: "\r\n\r\n"))
        check.fits(Reply(status: RawHTTP.status(rebound), headers: ["content-type": "application/json"],
                         body: Array(rebound[blank.upperBound...].utf8)), "GET /api/v1/status")
        #expect(RawHTTP.status(rebound) == 421, "a host the lab does not answer to: \(rebound.prefix(200))")

        // Every documented operation, asked as an operator with the lab's own values: it answers
        // (no "no such path") with a status its entry lists.
        for (operation, _) in try Self.operations(try Self.document()).sorted(by: { $0.key < $1.key }) {
            let parts = operation.split(separator: " ")
            let path = String(parts[1]).replacingOccurrences(of: "{id}", with: "im1").replacingOccurrences(of: "{sha}", with: String(repeating: "0", count: 64))
            // The event stream never ends: asked with HEAD, which answers its head alone.
            let method = operation == "GET /api/v1/events" ? "HEAD" : String(parts[0])
            let body: [UInt8]? = method == "GET" || method == "HEAD" ? nil : Array("{}".utf8)
            let reply = try await lab.request(method, path, body: body, contentType: body == nil ? nil : "application/json", token: tokens[.operator])
            #expect(reply.status != 404 || !(reply.text.contains("no such path") || reply.text.contains("no such file")), "\(operation): \(reply.text.prefix(200))")
            check.fits(reply, operation)
        }
    }
}

/// Real answers held to the document: the status is one the operation lists, and a JSON body
/// fits the schema documented for that status.
struct Answers {
    let document: [String: Any]
    let lab: ServerHarness

    func expect(
        _ status: Int, _ operation: String, _ path: String, body: [UInt8]? = nil, type: String = "application/json",
        token: String? = nil, headers: [String: String] = [:]
    ) async throws {
        let method = String(operation.split(separator: " ")[0])
        let reply = try await lab.request(method, path, body: body, contentType: body == nil ? nil : type, token: token, headers: headers)
        #expect(reply.status == status, "\(operation) at \(path): \(reply.status) \(reply.text.prefix(300))")
        fits(reply, operation)
    }

    func fits(_ reply: Reply, _ operation: String) {
        let parts = operation.split(separator: " ")
        let schemas = SchemaCheck(document: document)
        let item = ((document["paths"] as? [String: Any])?[String(parts[1])] as? [String: Any])?[parts[0].lowercased()] as? [String: Any]
        let documented = schemas.response((item?["responses"] as? [String: Any])?[String(reply.status)])
        #expect(documented != nil, "\(operation) answered \(reply.status), which its entry does not list: \(reply.text.prefix(200))")
        let schema = ((documented?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
        #expect(schema != nil || reply.headers["content-type"]?.hasPrefix("application/json") != true || reply.body.isEmpty,
                "\(operation) \(reply.status) answered JSON where the document names none")
        if let schema {
            let value = try? JSONSerialization.jsonObject(with: Data(reply.body), options: [.fragmentsAllowed])
            #expect(value != nil, "\(operation) \(reply.status) is not JSON: \(reply.text.prefix(200))")
            let problems = schemas.problems(value ?? NSNull(), schema)
            #expect(problems == [], "\(operation) \(reply.status): \(reply.text.prefix(300))")
        }
    }
}
