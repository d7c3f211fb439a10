import Foundation

/// The part of JSON Schema (OpenAPI 3.1) that Static/openapi.json uses, enough to say whether
/// a real answer fits its documented schema: `$ref` into the document, `type` (one or a list,
/// `"null"` included), `properties`, `required`, `additionalProperties`, `items`, `enum`,
/// `const`, `oneOf`, `if`/`then`, `minimum`, `maximum` and `pattern`. Keywords it does not know
/// (`format`, `description`, ...) constrain nothing here.
struct SchemaCheck {
    let document: [String: Any]

    /// Every way `value` breaks `schema`, each with the JSON path where it does; empty if it fits.
    func problems(_ value: Any, _ schema: [String: Any], at path: String = "$") -> [String] {
        if let reference = schema["$ref"] as? String {
            guard let target = resolve(reference) else { return ["\(path): $ref \(reference) names nothing"] }
            return problems(value, target, at: path)
        }
        var found: [String] = []
        if let types = Self.types(schema["type"]), !types.contains(where: { Self.value(value, is: $0) }) {
            return ["\(path): \(Self.shown(value)) is not \(types.joined(separator: " or "))"]
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { Self.same($0, value) }) {
            found.append("\(path): \(Self.shown(value)) is none of \(allowed)")
        }
        if let constant = schema["const"], !Self.same(constant, value) {
            found.append("\(path): \(Self.shown(value)) is not \(constant)")
        }
        if let choices = schema["oneOf"] as? [[String: Any]] {
            let fitting = choices.filter { problems(value, $0, at: path).isEmpty }.count
            if fitting != 1 { found.append("\(path): fits \(fitting) of the oneOf's \(choices.count) schemas, not one") }
        }
        if let condition = schema["if"] as? [String: Any], let then = schema["then"] as? [String: Any],
           problems(value, condition, at: path).isEmpty {
            found += problems(value, then, at: path)
        }
        if let number = value as? NSNumber, !Self.isBool(value) {
            if let minimum = (schema["minimum"] as? NSNumber)?.doubleValue, number.doubleValue < minimum {
                found.append("\(path): \(number) is below \(minimum)")
            }
            if let maximum = (schema["maximum"] as? NSNumber)?.doubleValue, number.doubleValue > maximum {
                found.append("\(path): \(number) is above \(maximum)")
            }
        }
        if let text = value as? String, let pattern = schema["pattern"] as? String,
           text.range(of: pattern, options: .regularExpression) == nil {
            found.append("\(path): '\(text)' does not match \(pattern)")
        }
        if let object = value as? [String: Any] { found += objectProblems(object, schema, at: path) }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() { found += problems(item, items, at: "\(path)[\(index)]") }
        }
        return found
    }

    private func objectProblems(_ object: [String: Any], _ schema: [String: Any], at path: String) -> [String] {
        var found: [String] = []
        let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
        for name in schema["required"] as? [String] ?? [] where object[name] == nil {
            found.append("\(path): lacks the required '\(name)'")
        }
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            if let property = properties[name] {
                found += problems(value, property, at: "\(path).\(name)")
            } else if let extra = schema["additionalProperties"] as? [String: Any] {
                found += problems(value, extra, at: "\(path).\(name)")
            } else if schema["additionalProperties"] as? Bool == false {
                found.append("\(path): '\(name)' is not a documented property")
            }
        }
        return found
    }

    /// `#/components/schemas/Name` and the like: a JSON pointer into the document.
    func resolve(_ reference: String) -> [String: Any]? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any = document
        for part in reference.dropFirst(2).split(separator: "/") {
            guard let next = (node as? [String: Any])?[String(part)] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    /// A response object or a `$ref` to one in `components/responses`, resolved.
    func response(_ object: Any?) -> [String: Any]? {
        guard let object = object as? [String: Any] else { return nil }
        if let reference = object["$ref"] as? String { return resolve(reference) }
        return object
    }

    private static func types(_ type: Any?) -> [String]? {
        if let one = type as? String { return [one] }
        return type as? [String]
    }

    private static func value(_ value: Any, is type: String) -> Bool {
        switch type {
        case "null": value is NSNull
        case "boolean": isBool(value)
        case "integer": !isBool(value) && (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } == true
        case "number": !isBool(value) && value is NSNumber
        case "string": value is String
        case "array": value is [Any]
        case "object": value is [String: Any]
        default: false
        }
    }

    /// JSONSerialization gives booleans as NSNumber too, and `is Bool` holds for 0 and 1; only
    /// the stored C type ("c", a char) tells a JSON `true` from a `1`.
    private static func isBool(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    private static func same(_ a: Any, _ b: Any) -> Bool {
        if let a = a as? String, let b = b as? String { return a == b }
        if let a = a as? NSNumber, let b = b as? NSNumber { return a == b && isBool(a) == isBool(b) }
        return a is NSNull && b is NSNull
    }

    private static func shown(_ value: Any) -> String {
        String("\(value)".prefix(80))
    }
}
