import Foundation
import HTTPTypes
import Hummingbird
import LoupeLab

/// Who may reach the lab through a browser: a `Host` the lab answers to, and for a request
/// that changes something, an `Origin` that is the lab's own or one the operator allowed.
///
/// A page on another site can make the browser send a form or a `text/plain` POST to a
/// loopback lab without asking first, and can rebind its own name to 127.0.0.1 to read the
/// answers. The first carries that site's `Origin`, the second its name in `Host`; both are
/// refused here, before any route runs. Clients that are not browsers (curl, Label Studio's
/// server) send no `Origin` and an address as `Host`, and pass.
struct HostGuard: Sendable {
    let allowedHosts: Set<String>
    let allowedOrigins: Set<String>

    init(allowedHosts: [String], allowedOrigins: [String]) {
        self.allowedHosts = Set(allowedHosts.map { $0.lowercased() })
        self.allowedOrigins = Set(allowedOrigins.compactMap { WebOrigin.of($0) })
    }

    /// Throws 421 for a host the lab does not answer to, 403 for a write from another origin.
    func check(_ request: Request) throws {
        let authority = request.head.authority ?? ""
        guard let host = Self.hostName(authority), accepts(host: host) else {
            throw APIError(.misdirectedRequest, "unknown_host",
                           "this lab does not answer to the host '\(Query.shown(authority))': "
                               + "use its address, or add the name to server.allowedHosts in loupe.json")
        }
        guard Self.changesState(request.method) else { return }
        if let origin = request.headers[.origin] {
            let own = WebOrigin.of("http://\(authority)"), ownTLS = WebOrigin.of("https://\(authority)")
            guard let given = WebOrigin.of(origin), given == own || given == ownTLS || allowedOrigins.contains(given) else {
                throw APIError(.forbidden, "cross_origin",
                               "a page at '\(Query.shown(origin))' may not write to this lab; add it to server.allowedOrigins if it should")
            }
        } else if request.headers[HTTPField.Name("Sec-Fetch-Site")!] == "cross-site" {
            throw APIError(.forbidden, "cross_origin", "a cross-site request may not write to this lab")
        }
    }

    /// IP literals cannot be rebound; `localhost` is the machine's own; other names only when listed.
    func accepts(host: String) -> Bool {
        if host == "localhost" || host.hasSuffix(".localhost") || allowedHosts.contains(host) { return true }
        var v4 = in_addr(), v6 = in6_addr()
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return inet_pton(AF_INET, bare, &v4) == 1 || inet_pton(AF_INET6, bare, &v6) == 1
    }

    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        ![.get, .head, .options].contains(method)
    }

    /// The host of `name:port`, `[v6]:port` or `name`, lower-cased; nil for an empty one.
    static func hostName(_ authority: String) -> String? {
        let lowered = authority.lowercased()
        if lowered.hasPrefix("["), let close = lowered.firstIndex(of: "]") {
            return String(lowered[...close])
        }
        let host = lowered.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return host.isEmpty ? nil : host
    }
}
