import Foundation
import Testing
@testable import LoupeLab

@Suite struct AnnotatorTests {
    @Test func aTokenNamesItsAnnotatorAndOnlyItsHashIsLogged() throws {
        let (_, lab) = try makeLab()
        let token = try lab.addAnnotator(name: "ana")
        #expect(token.count == 64)
        #expect(token.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(try lab.annotator(forToken: token) == "ana")
        #expect(try lab.annotators() == ["ana"])

        let rows = try lab.events(type: .annotatorAdded)
        #expect(rows.map(\.stream) == ["annotators"])
        #expect(!rows[0].payload.contains(token))
        guard case .annotatorAdded(let added) = try rows[0].decoded() else { Issue.record("\(rows)"); return }
        #expect(added == AnnotatorAdded(name: "ana", tokenSHA256: AnnotatorToken.sha256(token), role: "annotator"))
    }

    @Test func tokensAreNotRepeated() throws {
        let (_, lab) = try makeLab()
        let tokens = try (0..<20).map { try lab.addAnnotator(name: "a\($0)") }
        #expect(Set(tokens).count == 20)
    }

    @Test func aNewTokenForAKnownNameRetiresTheOldOne() throws {
        let (_, lab) = try makeLab()
        let first = try lab.addAnnotator(name: "ana")
        let bob = try lab.addAnnotator(name: "bob")
        let second = try lab.addAnnotator(name: "ana")
        #expect(first != second)
        #expect(try lab.annotator(forToken: first) == nil)
        #expect(try lab.annotator(forToken: second) == "ana")
        #expect(try lab.annotator(forToken: bob) == "bob")
        #expect(try lab.annotators() == ["ana", "bob"], "first-added order, each name once")
        #expect(try lab.events(type: .annotatorAdded).count == 3)
        #expect(try lab.replayDifferences() == [])
    }

    @Test(arguments: ["", "x", String(repeating: "z", count: 257), String(repeating: "0", count: 64), "Bearer abc", "\u{0}"])
    func anUnknownOrMalformedTokenNamesNobody(_ token: String) throws {
        let (_, lab) = try makeLab()
        _ = try lab.addAnnotator(name: "ana")
        #expect(try lab.annotator(forToken: token) == nil)
    }

    @Test(arguments: ["a", "ana", "Ana.B_c-9", "0lab", String(repeating: "n", count: 64)])
    func acceptableNames(_ name: String) throws {
        let (_, lab) = try makeLab()
        _ = try lab.addAnnotator(name: name)
        #expect(try lab.annotators() == [name])
    }

    @Test(arguments: [
        ("", "is empty"),
        (String(repeating: "n", count: 65), "is 65 characters long; at most 64 are allowed"),
        (String(repeating: "n", count: 1_000_000), "is 1000000 characters long; at most 64 are allowed"),
        ("a b", "contains ' ' (U+20)"),
        ("a\nb", "contains a control character (U+A)"),
        ("a\u{0}", "contains a control character (U+0)"),
        ("\u{1b}[31mred", "contains a control character (U+1B)"),
        ("a\u{7f}", "contains a control character (U+7F)"),
        ("a\u{85}", "contains a control character (U+85)"),
        ("an\u{e4}", "contains '\u{e4}' (U+E4)"),
        ("a\u{301}", "contains '\u{301}' (U+301)"),
        ("a/b", "contains '/' (U+2F)"),
        ("..", "must start with a letter or a digit"),
        ("-rf", "must start with a letter or a digit"),
        (".hidden", "must start with a letter or a digit"),
    ])
    func hostileNamesAreRefusedWithoutAnEvent(_ name: String, _ problem: String) throws {
        let (_, lab) = try makeLab()
        let error = try #require(throws: AnnotatorError.self) { try lab.addAnnotator(name: name) }
        guard case .invalidName(let refused, let said) = error else {
            Issue.record("refused for another reason: \(error)")
            return
        }
        #expect(refused == name)
        #expect(said.hasPrefix(problem), "\(said)")
        let text = "\(error)"
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 }, "the message is printable")
        #expect(text.unicodeScalars.count < 400, "a huge name is cut short in the message")
        #expect(try lab.headSeq() == 0)
        #expect(try lab.annotators() == [])
    }
}
