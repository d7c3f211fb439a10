import Foundation
import LoupeVision

/// `server` in loupe.json: how the HTTP door of `loupe run` treats its callers.
public struct ServerSettings: Codable, Sendable, Equatable {
    /// How long opening an image keeps it off other annotators' queues; the page renews it
    /// while its holder edits.
    public var claimMinutes = 20.0

    public init() {}

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case claimMinutes
    }

    public init(from decoder: Decoder) throws {
        try UnknownKeys.refuse(in: decoder, allowed: CodingKeys.self, context: "server")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        claimMinutes = try container.decodeIfPresent(Double.self, forKey: .claimMinutes) ?? claimMinutes
        try Settings.check(claimMinutes, within: 0.1...1440, "server.claimMinutes")
    }
}
