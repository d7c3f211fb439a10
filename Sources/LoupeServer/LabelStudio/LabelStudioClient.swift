import AsyncHTTPClient
import Foundation
import NIOCore

/// Loupe's requests to Label Studio: a task's image, and who a user is. Authenticated with the
/// key `/setup` gave: a legacy token (`Authorization: Token KEY`), or a personal access token
/// (a JWT), which is first exchanged for a short-lived access token, as Label Studio's SDK does.
struct LabelStudioClient: Sendable {
    let hostname: String
    let key: String

    static let timeout = TimeAmount.seconds(30)

    /// The bytes behind a task's image reference, at most `limit` of them. Relative references
    /// (`/data/upload/...`) are Label Studio's own and get the key; absolute ones on another
    /// host are fetched without it, so the key never leaves for a third party.
    func image(_ reference: String, limit: Int) async throws(LabelStudioError) -> [UInt8] {
        guard let url = resolve(reference) else {
            throw .badRequest("the task's image '\(reference.prefix(200))' is not an http(s) URL or a Label Studio path; "
                + "cloud storage references (s3://, gs://) need Label Studio to serve them")
        }
        return try await get(url, authenticated: Self.origin(url) == Self.origin(hostname), limit: limit)
    }

    /// A user's e-mail address or user name, for naming them as an annotator; nil if Label
    /// Studio does not say.
    func userName(_ id: Int) async -> String? {
        guard let bytes = try? await get(joined("/api/users/\(id)"), authenticated: true, limit: 1 << 20),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        for key in ["email", "username"] {
            if let value = object[key] as? String, !value.isEmpty { return value }
        }
        return nil
    }

    /// Scheme, host and port: the key goes only where Label Studio itself answers.
    static func origin(_ url: String) -> String? {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), let host = parts.host?.lowercased() else {
            return nil
        }
        return "\(scheme)://\(host):\(parts.port ?? (scheme == "https" ? 443 : 80))"
    }

    private func resolve(_ reference: String) -> String? {
        if reference.hasPrefix("http://") || reference.hasPrefix("https://") { return reference }
        if reference.hasPrefix("/") { return joined(reference) }
        return nil
    }

    private func joined(_ path: String) -> String {
        (hostname.hasSuffix("/") ? String(hostname.dropLast()) : hostname) + path
    }

    private func get(_ url: String, authenticated: Bool, limit: Int) async throws(LabelStudioError) -> [UInt8] {
        do {
            var request = HTTPClientRequest(url: url)
            if authenticated { request.headers.add(name: "Authorization", value: try await authorization()) }
            let response = try await HTTPClient.shared.execute(request, timeout: Self.timeout)
            guard response.status == .ok else {
                throw LabelStudioError.unreachable("Label Studio answered \(response.status.code) for \(url.prefix(200))")
            }
            let body = try await response.body.collect(upTo: limit)
            return Array(body.readableBytesView)
        } catch let error as LabelStudioError {
            throw error
        } catch is NIOTooManyBytesError {
            throw .badRequest("\(url.prefix(200)) is over \(limit) bytes, more than any image this lab accepts")
        } catch {
            throw .unreachable("cannot fetch \(url.prefix(200)) from Label Studio at \(hostname): \(error)")
        }
    }

    /// A JWT (three dot-separated parts) is a personal access token: it refreshes into a bearer.
    private func authorization() async throws -> String {
        guard key.split(separator: ".").count == 3 else { return "Token \(key)" }
        var request = HTTPClientRequest(url: joined("/api/token/refresh/"))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: ["refresh": key]))))
        let response = try await HTTPClient.shared.execute(request, timeout: Self.timeout)
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok,
              let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
              let access = object["access"] as? String else {
            throw LabelStudioError.unreachable("Label Studio refused the personal access token (\(response.status.code))")
        }
        return "Bearer \(access)"
    }
}
