import Hummingbird
import LoupeLab

/// Query parameters, checked: a value out of range is a 400 naming the parameter.
enum Query {
    static func integer(_ request: Request, _ name: Substring, default value: Int, within range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError.badRequest("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), not '\(shown(text))'")
        }
        return number
    }

    /// A caller's text echoed in an error: control characters escaped, at most 80 characters.
    static func shown(_ text: some StringProtocol) -> String {
        let printable = EventRow.printable(String(text))
        return printable.count > 80 ? String(printable.prefix(80)) + "..." : printable
    }
}
