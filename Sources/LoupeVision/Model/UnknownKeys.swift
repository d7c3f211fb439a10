import Foundation
import Synchronization

/// Settings are typed by hand into loupe.json; a misspelt key silently falling back to a default
/// would train a different model than the user asked for, so every keyed section refuses them.
/// The one mechanism for every settings type, the lab's and the model's.
public enum UnknownKeys {
    public struct AnyKey: CodingKey {
        public let stringValue: String
        public var intValue: Int? { nil }
        public init(stringValue: String) { self.stringValue = stringValue }
        public init?(intValue: Int) { nil }
    }

    /// Gathers the unknown keys of a whole document, so one run names them all.
    final class Collector: Sendable {
        let paths = Mutex<[String]>([])
    }

    static let collectorKey = CodingUserInfoKey(rawValue: "loupe.unknownKeys")!

    /// Refuses the keys of `decoder`'s object that `allowed` does not name. Under
    /// `decodeNamingAllUnknownKeys` they are gathered instead, each with its full path.
    public static func refuse<Keys: CodingKey & CaseIterable>(
        in decoder: any Decoder, allowed: Keys.Type, context: String
    ) throws {
        try refuse(in: decoder, allowedNames: Set(Keys.allCases.map(\.stringValue)), context: context)
    }

    public static func refuse(in decoder: any Decoder, allowedNames known: Set<String>, context: String) throws {
        let present = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        let unknown = present.filter { !known.contains($0) }.sorted()
        guard !unknown.isEmpty else { return }
        if let collector = decoder.userInfo[collectorKey] as? Collector {
            let prefix = decoder.codingPath.map(\.stringValue).joined(separator: ".")
            collector.paths.withLock { $0 += unknown.map { prefix.isEmpty ? $0 : "\(prefix).\($0)" } }
            return
        }
        let names = unknown.map { "'\($0)'" }.joined(separator: ", ")
        throw SettingsError(
            "\(context): unknown key\(unknown.count == 1 ? "" : "s") \(names) (allowed: \(known.sorted().joined(separator: ", ")))")
    }

    /// Decodes `data`, then refuses it naming every unknown key at any depth.
    public static func decodeNamingAllUnknownKeys<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let collector = Collector()
        let decoder = JSONDecoder()
        decoder.userInfo[collectorKey] = collector
        let value = try decoder.decode(type, from: data)
        let unknown = collector.paths.withLock { $0 }.sorted()
        guard unknown.isEmpty else {
            throw SettingsError("unknown settings key\(unknown.count == 1 ? "" : "s"): \(unknown.joined(separator: ", "))")
        }
        return value
    }
}

/// A refused setting, with a message that names the offending key or value.
public struct SettingsError: Error, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
