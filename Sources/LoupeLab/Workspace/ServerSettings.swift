import Foundation
import LoupeVision

/// `server` in loupe.json: how the HTTP door of `loupe run` treats its callers, and the sizes
/// and counts it accepts before it does any work for them.
package struct ServerSettings: Codable, Sendable, Equatable {
    /// How long opening an image keeps it off other annotators' queues; the page renews it
    /// while its holder edits.
    package var claimMinutes = 20.0
    /// Host names the server answers to besides IP literals and `localhost`. A name that is
    /// not listed is refused, so a page on another site cannot rebind its own name to the lab.
    package var allowedHosts: [String] = []
    /// Origins (`https://name:port`) whose pages may write to the lab besides its own.
    package var allowedOrigins: [String] = []
    /// The largest JSON body read into memory (Label Studio's annotations carry whole RLE masks).
    package var maxJSONBytes = 32 << 20
    /// Connections held open at once; past it new ones wait in the kernel's backlog, so the
    /// daemon never runs out of descriptors for its own files.
    package var maxConnections = 512
    /// Event-stream clients at once; one more is answered 503.
    package var maxEventStreams = 64
    /// Predictions asked for on demand (opened images, Label Studio tasks) waiting at once;
    /// one more is answered 503. They run one at a time whatever the number of clients.
    package var maxPendingPredictions = 32

    package init() {}

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case claimMinutes, allowedHosts, allowedOrigins, maxJSONBytes, maxConnections, maxEventStreams, maxPendingPredictions
    }

    package init(from decoder: Decoder) throws {
        try UnknownKeys.refuse(in: decoder, allowed: CodingKeys.self, context: "server")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        claimMinutes = try container.decodeIfPresent(Double.self, forKey: .claimMinutes) ?? claimMinutes
        allowedHosts = try container.decodeIfPresent([String].self, forKey: .allowedHosts) ?? allowedHosts
        allowedOrigins = try container.decodeIfPresent([String].self, forKey: .allowedOrigins) ?? allowedOrigins
        maxJSONBytes = try container.decodeIfPresent(Int.self, forKey: .maxJSONBytes) ?? maxJSONBytes
        maxConnections = try container.decodeIfPresent(Int.self, forKey: .maxConnections) ?? maxConnections
        maxEventStreams = try container.decodeIfPresent(Int.self, forKey: .maxEventStreams) ?? maxEventStreams
        maxPendingPredictions = try container.decodeIfPresent(Int.self, forKey: .maxPendingPredictions) ?? maxPendingPredictions
        try Settings.check(maxPendingPredictions, within: 1...10_000, "server.maxPendingPredictions")
        try Settings.check(claimMinutes, within: 0.1...1440, "server.claimMinutes")
        try Settings.check(maxJSONBytes, within: 1024...(1 << 30), "server.maxJSONBytes")
        try Settings.check(maxConnections, within: 4...100_000, "server.maxConnections")
        try Settings.check(maxEventStreams, within: 1...10_000, "server.maxEventStreams")
        for host in allowedHosts where host.isEmpty || host.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace }) {
            throw SettingsError("server.allowedHosts holds '\(host)', not a host name (no scheme, port or path)")
        }
        for origin in allowedOrigins where !(origin.hasPrefix("http://") || origin.hasPrefix("https://")) {
            throw SettingsError("server.allowedOrigins holds '\(origin)', not an origin like https://name:port")
        }
    }
}
