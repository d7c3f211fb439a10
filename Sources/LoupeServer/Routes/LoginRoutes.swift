import Foundation
import Hummingbird
import LoupeLab

/// Sign-in with a login code (`loupe user add`, `loupe user code NAME`) instead of a pasted
/// token: `POST /api/v1/login {"name", "code"}` answers a new session token of the annotator's
/// role. Open to anyone, as it must be; bounded by `LoginThrottle`.
struct LoginRoutes {
    let api: LabAPI

    static let bodyLimit = 4096

    func add(to router: Router<LabContext>) {
        router.group("api/v1").onForAnyone("login", .post) { request, context, _ in
            struct Attempt: Decodable {
                let name: String
                let code: String
            }
            struct Session: Encodable {
                let token: String
                let annotator: String
                let role: String
            }
            let attempt = try await JSONRequest.decode(Attempt.self, from: request, limit: Self.bodyLimit)
            // Names that cannot exist share one key, so made-up names cannot grow the table.
            let key = (try? AnnotatorName.validate(attempt.name)) ?? ""
            let admitted: Date
            switch api.loginThrottle.admit(key) {
            case .admitted(let at):
                admitted = at
            case .wait(let seconds):
                var response = try APIError(.tooManyRequests, "too_many_attempts",
                                            "too many failed sign-ins; try again in \(seconds) s").response(from: request, context: context)
                response.headers[.retryAfter] = String(seconds)
                return response
            }
            let name = attempt.name, code = attempt.code
            let token = try await api.gateway.record { try $0.redeemLoginCode(name: name, code: code) }
            api.loginThrottle.succeeded(key, at: admitted)
            let role = try api.readers.read { try $0.identity(forToken: token)?.role.rawValue } ?? Role.reader.rawValue
            return try JSONBody.response(Session(token: token, annotator: name, role: role), status: .created)
        }
    }
}
