import AsyncHTTPClient
import Foundation
import LoupeLab
import NIOCore

/// Loupe's requests to Label Studio: a task's image, and who a user is.
///
/// The key goes only to `origin`, the Label Studio the operator named (`labelStudio.url` or
/// `LABEL_STUDIO_URL`), never to an address a payload gave. A legacy token is sent as
/// `Authorization: Token KEY`; a personal access token (a JWT) is first exchanged for a
/// short-lived access token, as Label Studio's SDK does. Images elsewhere are fetched without
/// it, and only from public addresses unless the operator allowed local ones.
struct LabelStudioClient: Sendable {
    /// Label Studio's address as configured; nil when the operator named none.
    let address: String?
    let key: String
    let rules: LabelStudioSettings

    static let timeout = TimeAmount.seconds(30)

    /// Redirects are not followed: one could lead from a public address to a local one after
    /// the check, or carry the key to another host.
    private static let http = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(30)))
    )

    /// Downloads the bytes behind a task's image reference into `path`, at most `limit` of them
    /// and within `rules.downloadSeconds` from the first byte asked to the last one written.
    func downloadImage(_ reference: String, to path: String, limit: Int) async throws {
        let (url, authenticated) = try await target(of: reference)
        let credentials = authenticated ? try await authorization() : nil
        do {
            try await Deadline.run(seconds: rules.downloadSeconds, what: "downloading \(url.prefix(200))") {
                try await Self.fetch(url, credentials: credentials, to: path, limit: limit)
            }
        } catch let passed as Deadline.Passed {
            throw LabelStudioError.unreachable(passed.description)
        }
    }

    private static func fetch(_ url: String, credentials: String?, to path: String, limit: Int) async throws {
        let writer = try RawUpload(path: path, limit: limit)
        var request = HTTPClientRequest(url: url)
        if let credentials { request.headers.add(name: "Authorization", value: credentials) }
        let response: HTTPClientResponse
        do { response = try await http.execute(request, timeout: timeout) } catch {
            throw LabelStudioError.unreachable("cannot fetch \(url.prefix(200)): \(error)")
        }
        guard response.status == .ok else {
            throw LabelStudioError.unreachable("\(url.prefix(200)) answered \(response.status.code)")
        }
        if let declared = response.headers.first(name: "Content-Length").flatMap(Int.init), declared > limit {
            throw LabelStudioError.badRequest("\(url.prefix(200)) is \(declared) bytes, more than any image this lab accepts (\(limit))")
        }
        do {
            for try await chunk in response.body { try writer.write(chunk) }
        } catch let error as APIError where error.code == "too_large" {
            throw LabelStudioError.badRequest("\(url.prefix(200)) is over \(limit) bytes, more than any image this lab accepts")
        }
        _ = try writer.finish()
    }

    /// A user's e-mail address or user name, for naming them as an annotator; nil if Label
    /// Studio does not say or no Label Studio was configured.
    func userName(_ id: Int) async -> String? {
        guard let address, let credentials = try? await authorization() else { return nil }
        var request = HTTPClientRequest(url: Self.joined(address, "/api/users/\(id)"))
        request.headers.add(name: "Authorization", value: credentials)
        guard let response = try? await Self.http.execute(request, timeout: Self.timeout), response.status == .ok,
              let body = try? await response.body.collect(upTo: 1 << 20),
              let user = try? JSONDecoder().decode(User.self, from: Data(body.readableBytesView)) else { return nil }
        return [user.email, user.username].compactMap { $0 }.first { !$0.isEmpty }
    }

    /// The URL to fetch and whether it gets the key: Label Studio's own paths and URLs do,
    /// anything else does not, and must resolve to public addresses unless allowed.
    private func target(of reference: String) async throws(LabelStudioError) -> (String, Bool) {
        if reference.hasPrefix("/") {
            guard let address else {
                throw .notSetUp("the task's image '\(reference.prefix(200))' is on Label Studio, whose address this lab was not given: "
                    + "set labelStudio.url in loupe.json or LABEL_STUDIO_URL")
            }
            return (Self.joined(address, reference), true)
        }
        guard let origin = WebOrigin.of(reference), let host = URLComponents(string: reference)?.host else {
            throw .badRequest("the task's image '\(reference.prefix(200))' is not an http(s) URL or a Label Studio path; "
                + "cloud storage references (s3://, gs://) need Label Studio to serve them")
        }
        if let address, origin == WebOrigin.of(address) { return (reference, true) }
        if !rules.allowLocalImageHosts, let local = NetworkAddress.firstLocal(host: host) {
            throw .badRequest("the task's image '\(reference.prefix(200))' is on \(local), a loopback, link-local or private address; "
                + "set labelStudio.allowLocalImageHosts to fetch from there")
        }
        return (reference, false)
    }

    /// A JWT (three dot-separated parts) is a personal access token: it refreshes into a bearer.
    private func authorization() async throws(LabelStudioError) -> String {
        guard key.split(separator: ".").count == 3 else { return "Token \(key)" }
        guard let address else { throw .notSetUp("no Label Studio address to exchange the personal access token with") }
        do {
            var request = HTTPClientRequest(url: Self.joined(address, "/api/token/refresh/"))
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: Array(try JSONEncoder().encode(["refresh": key]))))
            let response = try await Self.http.execute(request, timeout: Self.timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok,
                  let access = (try? JSONDecoder().decode(Refreshed.self, from: Data(body.readableBytesView)))?.access else {
                throw LabelStudioError.unreachable("Label Studio refused the personal access token (\(response.status.code))")
            }
            return "Bearer \(access)"
        } catch let error as LabelStudioError {
            throw error
        } catch {
            throw .unreachable("cannot reach Label Studio at \(address): \(error)")
        }
    }

    /// A Label Studio user, as `/api/users/ID` answers.
    private struct User: Decodable {
        let email: String?
        let username: String?
    }

    /// `/api/token/refresh/`'s answer: a short-lived access token.
    private struct Refreshed: Decodable {
        let access: String
    }

    private static func joined(_ address: String, _ path: String) -> String {
        (address.hasSuffix("/") ? String(address.dropLast()) : address) + path
    }
}
