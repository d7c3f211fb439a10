import Foundation

/// The origin of an http(s) URL as browsers compare them: scheme, host and port, lower-cased,
/// the port filled in. What a page's writes are checked against, and what Label Studio's key
/// is bound to.
package enum WebOrigin {
    /// `http://Host:80/x` and `http://host/` are both `http://host:80`; nil for anything that is
    /// not http(s) with a host (`null`, `file:`, a bare path).
    package static func of(_ url: String) -> String? {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = parts.host?.lowercased(), !host.isEmpty else { return nil }
        return "\(scheme)://\(host):\(parts.port ?? (scheme == "https" ? 443 : 80))"
    }
}
