import Foundation
import LoupeLab
import Testing

/// The page subscribes to the event stream by name: a type missing from its list is never
/// heard, and a name that is no event type is a listener for nothing. The list is read from
/// the page's own source, so a new event type fails here until the page knows it.
struct PageEventTests {
    static func appJS() throws -> String {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Static/app.js").standardized
        return try String(contentsOf: path, encoding: .utf8)
    }

    /// The quoted names between `const LEDGER_EVENTS = [` and its `];`.
    static func ledgerEvents(in source: String) throws -> [String] {
        let start = try #require(source.range(of: "const LEDGER_EVENTS = ["))
        let end = try #require(source.range(of: "];", range: start.upperBound..<source.endIndex))
        return quoted(in: String(source[start.upperBound..<end.lowerBound]), after: "")
    }

    /// Every `'Name'` in `text`, each preceded by `prefix`.
    static func quoted(in text: String, after prefix: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: NSRegularExpression.escapedPattern(for: prefix) + "'([A-Za-z]+)'")
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!])
        }
    }

    @Test func thePageListensToEveryEventTypeAndNoOther() throws {
        let listed = try Self.ledgerEvents(in: try Self.appJS())
        let kinds = Set(EventKind.allCases.map(\.rawValue))
        #expect(listed.count == Set(listed).count, "a name listed twice: \(listed)")
        #expect(Set(listed).subtracting(kinds).sorted() == [], "the page listens for types that do not exist")
        #expect(kinds.subtracting(listed).sorted() == [], "the page does not listen for these types")
    }

    @Test func thePageHandlesOnlyEventTypesItListensTo() throws {
        let source = try Self.appJS()
        let start = try #require(source.range(of: "function onLedgerEvent("))
        let end = try #require(source.range(of: "\n}\n", range: start.upperBound..<source.endIndex))
        let handled = Self.quoted(in: String(source[start.lowerBound..<end.lowerBound]), after: "case ")
        #expect(handled.count >= 10, "the handler's cases were found: \(handled)")
        #expect(Set(handled).subtracting(try Self.ledgerEvents(in: source)).sorted() == [], "cases for events never heard")
    }
}
