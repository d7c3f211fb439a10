import Foundation
import LoupeDaemon
import LoupeLab
import Logging
import Testing
@testable import LoupeServer

/// Every route of the router, tried against a real `loupe run` on a lab with annotators:
/// without a credential, and with a reader's, an annotator's, a reviewer's and an operator's token. A route
/// added without stating its role, or with the wrong one, fails here.
@Suite(.serialized) struct RouteAccessTests {
    /// What anyone may fetch: the page and its files, the API document, the session.
    static let open: Set<String> = ["GET /", "GET /:file", "GET /api/v1/openapi.json", "GET /api/v1/session", "POST /api/v1/login"]
    /// What a reviewer (and an operator) may do besides an annotator's work: verdicts on corrections.
    static let reviewerOnly: Set<String> = ["POST /api/v1/images/:id/review"]
    /// What only an operator may do: the controls on training and models.
    static let operatorOnly: Set<String> = [
        "POST /api/v1/training", "POST /api/v1/models/:sha/pin", "DELETE /api/v1/models/pin", "POST /api/v1/models/:sha/rollback",
    ]

    /// The router the daemon serves, built in this process on the same lab to list its routes.
    static func routes(lab: String) throws -> [(method: String, path: String)] {
        let gateway = try Gateway(lab: lab, mailbox: Mailbox())
        let api = LabAPI(
            gateway: gateway, live: LiveStatus(), claims: Claims(duration: 60),
            access: try Access(readers: gateway.readers, loopback: true), settings: try gateway.readers.settings,
            logger: Logger(label: "route-walk")
        )
        // RouterPath writes a parameter as {id}; the lists here use the :id the routes were added with.
        return LabServer.router(api).routes.map { route in
            let path = "\(route.path)".replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
            return (route.method.rawValue, path.hasPrefix("/") ? path : "/" + path)
        }
    }

    /// A concrete path for a route: parameters filled with values that exist in the lab.
    static func concrete(_ path: String) -> String {
        let filled = path.split(separator: "/").map { part -> String in
            switch part {
            case ":id": "im1"
            case ":file": "image.png"
            case ":sha": String(repeating: "0", count: 64)
            default: String(part)
            }
        }
        return "/" + filled.joined(separator: "/")
    }

    @Test func everyRouteAnswersOnlyTheRoleItNeeds() async throws {
        var tokens: [Role: String] = [:]
        let lab = try ServerHarness { root in
            for role in Role.allCases { tokens[role] = try Workspace(at: root).addAnnotator(name: "a-\(role)", role: role) }
        }
        let annotator = try #require(tokens[.annotator]), lead = try #require(tokens[.operator])
        #expect(try await lab.request("POST", "/api/v1/images?name=im1.png", body: try photoPNG(), contentType: "image/png", token: annotator).status == 201)
        let routes = try Self.routes(lab: lab.root)
        #expect(routes.count >= 20, "the walk sees the router: \(routes.map { "\($0.method) \($0.path)" })")
        for route in routes {
            let key = "\(route.method) \(route.path)"
            let path = Self.concrete(route.path)
            let body = route.method == "GET" ? nil : Array("{}".utf8)
            let anonymous = try await lab.request(route.method, path, body: body, contentType: "application/json")
            if Self.open.contains(key) {
                #expect(anonymous.status != 401 && anonymous.status != 403, "\(key) is open, answered \(anonymous.status)")
                continue
            }
            #expect(anonymous.status == 401, "\(key) answered \(anonymous.status) without a credential")
            let needed: Role = Self.operatorOnly.contains(key) ? .operator : Self.reviewerOnly.contains(key) ? .reviewer
                : route.method == "GET" ? .reader : .annotator
            for role in Role.allCases {
                // The event stream never ends: asked with HEAD, which answers its head alone.
                let method = key == "GET /api/v1/events" && role >= needed ? "HEAD" : route.method
                let answer = try await lab.request(method, path, body: body, contentType: "application/json", token: tokens[role])
                if role < needed {
                    #expect(answer.status == 403 && answer.errorCode == "forbidden", "\(key) answered \(answer.status) to a \(role)")
                } else {
                    #expect(answer.status != 401 && answer.status != 403, "\(key) refused a \(role): \(answer.status) \(answer.text.prefix(300))")
                }
            }
        }
        #expect(try await lab.request("POST", "/api/v1/training", body: Array(#"{"action":"pause"}"#.utf8),
                                      contentType: "application/json", token: annotator).status == 403, "an annotator does not pause training")
        #expect(try await lab.request("POST", "/api/v1/training", body: Array(#"{"action":"pause"}"#.utf8),
                                      contentType: "application/json", token: lead).status == 202)
    }
}
