import Foundation
import Hummingbird
import LoupeDaemon
import LoupeLab

/// The lab's rule for callers. On loopback, a lab without annotators is open to its one local
/// user; once annotators exist, every request but `/session` needs a token, reads included, so
/// a page that rebinds its own name to 127.0.0.1 finds nothing to read. On any other address
/// every API request needs one, and the server refuses to start without annotators.
struct Access: Sendable {
    let readers: ReaderPool
    let loopback: Bool

    init(readers: ReaderPool, loopback: Bool) throws {
        self.readers = readers
        self.loopback = loopback
        if !loopback, try readers.read({ try $0.annotators() }).isEmpty {
            throw AccessError.tokensRequired
        }
    }

    /// The caller the request's credential names; nil when it carries none on a lab that needs
    /// one. Throws 401 for a credential that is not the lab's. `?token=` is taken for the event
    /// stream only, since a browser's EventSource cannot send headers.
    func caller(_ request: Request) throws -> Caller? {
        let queryToken = request.uri.path == "/api/v1/events" ? request.uri.queryParameters["token"].map(String.init) : nil
        if let token = Self.bearer(request) ?? queryToken {
            guard let identity = try readers.read({ try $0.identity(forToken: token) }) else {
                throw APIError(.unauthorized, "unauthorized", "the token is not one of this lab's (unknown, or replaced by a newer one)")
            }
            return Caller(annotator: identity.name, role: identity.role)
        }
        if loopback, try readers.read({ try $0.annotators() }).isEmpty { return Caller(annotator: nil, role: .operator) }
        return nil
    }

    /// Whether a caller without a token may write: what the page asks before showing a login.
    func tokensRequired() throws -> Bool {
        try !loopback || !readers.read { try $0.annotators() }.isEmpty
    }

    /// The token of `Bearer TOKEN` or `Token TOKEN` (Label Studio's own scheme), or the password
    /// of `Basic base64(NAME:TOKEN)`: Label Studio can send only basic authentication to a model
    /// it connects to. "" for any other scheme.
    private static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return header.isEmpty ? nil : "" }
        let credentials = String(parts[1]).trimmingCharacters(in: .whitespaces)
        switch parts[0].lowercased() {
        case "bearer", "token":
            return credentials
        case "basic":
            guard let decoded = Data(base64Encoded: credentials), let text = String(data: decoded, encoding: .utf8),
                  let colon = text.firstIndex(of: ":") else { return "" }
            return String(text[text.index(after: colon)...])
        default:
            return ""
        }
    }
}

package enum AccessError: Error, CustomStringConvertible {
    case tokensRequired

    package var description: String {
        switch self {
        case .tokensRequired:
            "only loopback may serve a lab without annotators: add one with `loupe user add NAME` (it prints the token), "
                + "or listen on 127.0.0.1"
        }
    }
}
