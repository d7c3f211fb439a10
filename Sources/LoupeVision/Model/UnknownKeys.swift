/// Settings are typed by hand into loupe.json; a misspelt key silently falling back to a default
/// would train a different model than the user asked for, so every keyed section refuses them.
struct UnknownKeys {
    struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func refuse<Keys: CodingKey & CaseIterable>(
        in decoder: any Decoder, allowed: Keys.Type, context: String
    ) throws {
        let present = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        let known = Set(Keys.allCases.map(\.stringValue))
        if let unknown = present.sorted().first(where: { !known.contains($0) }) {
            throw SettingsError(
                "\(context): unknown key '\(unknown)' (allowed: \(known.sorted().joined(separator: ", ")))")
        }
    }
}

/// A refused setting, with a message that names the offending key or value.
public struct SettingsError: Error, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
