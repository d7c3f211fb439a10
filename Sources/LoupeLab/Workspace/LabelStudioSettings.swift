import Foundation
import LoupeVision

/// `labelStudio` in loupe.json: which Label Studio the lab trusts, written by the operator.
/// The key (`LABEL_STUDIO_API_KEY`) is sent only to `url`'s origin; `/ls/setup` cannot move it.
package struct LabelStudioSettings: Codable, Sendable, Equatable {
    /// Label Studio's address, e.g. `http://127.0.0.1:8080`. The environment's
    /// `LABEL_STUDIO_URL` takes its place when set, as Label Studio's own ML backends read it.
    package var url: String?
    /// Tasks predicted in one `/ls/predict` call at most; Label Studio asks again for the rest.
    package var maxTasksPerRequest = 32
    /// Whether task images may be fetched from loopback, link-local or private addresses other
    /// than Label Studio's own (an image server on the lab's network).
    package var allowLocalImageHosts = false
    /// A task image's whole download, headers and body, must finish within this.
    package var downloadSeconds = 60.0

    package init() {}

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case url, maxTasksPerRequest, allowLocalImageHosts, downloadSeconds
    }

    package init(from decoder: Decoder) throws {
        try UnknownKeys.refuse(in: decoder, allowed: CodingKeys.self, context: "labelStudio")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        maxTasksPerRequest = try container.decodeIfPresent(Int.self, forKey: .maxTasksPerRequest) ?? maxTasksPerRequest
        allowLocalImageHosts = try container.decodeIfPresent(Bool.self, forKey: .allowLocalImageHosts) ?? allowLocalImageHosts
        downloadSeconds = try container.decodeIfPresent(Double.self, forKey: .downloadSeconds) ?? downloadSeconds
        try Settings.check(maxTasksPerRequest, within: 1...1000, "labelStudio.maxTasksPerRequest")
        try Settings.check(downloadSeconds, within: 1...3600, "labelStudio.downloadSeconds")
        if let url, WebOrigin.of(url) == nil {
            throw SettingsError("labelStudio.url '\(url)' is not an http(s) address like http://127.0.0.1:8080")
        }
    }

    /// The address in force: the environment's `LABEL_STUDIO_URL`, else `url`.
    package func address(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let given = environment["LABEL_STUDIO_URL"], !given.isEmpty { return given }
        return url
    }
}
