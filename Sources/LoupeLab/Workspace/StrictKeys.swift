import Foundation

/// Finds keys a JSON document has that its schema does not: Codable skips them silently.
public enum StrictKeys {
    public indirect enum Shape: Sendable {
        case leaf
        case object([String: Shape])
    }

    public static func check(_ data: Data, against shape: Shape) throws {
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw SettingsError.invalid("not valid JSON: \(error.localizedDescription)")
        }
        var unknown: [String] = []
        collect(json, shape, path: "", into: &unknown)
        guard unknown.isEmpty else { throw SettingsError.unknownKeys(unknown.sorted()) }
    }

    private static func collect(_ json: Any, _ shape: Shape, path: String, into unknown: inout [String]) {
        guard case .object(let fields) = shape, let object = json as? [String: Any] else { return }
        for (key, value) in object {
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            guard let field = fields[key] else {
                unknown.append(keyPath)
                continue
            }
            collect(value, field, path: keyPath, into: &unknown)
        }
    }
}
