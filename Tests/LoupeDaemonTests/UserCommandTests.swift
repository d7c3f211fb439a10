import Foundation
import LoupeLab
import Testing

/// `loupe user add` prints the token alone on stdout, so `TOKEN=$(loupe user add ana)` works.
@Suite struct UserCommandTests {
    @Test func addPrintsATokenThatNamesTheAnnotatorAndListPrintsNames() throws {
        let lab = try DaemonHarness()
        let (status, output) = try DaemonHarness.runLoupe(["user", "add", "ana", "--lab", lab.root])
        #expect(status == 0)
        let token = output.trimmingCharacters(in: .newlines)
        #expect(output == token + "\n", "one line")
        #expect(token.count == 64)
        _ = try DaemonHarness.runLoupe(["user", "add", "bob", "--lab", lab.root])
        #expect(try Workspace(at: lab.root, readOnly: true).annotator(forToken: token) == "ana")
        let (listed, names) = try DaemonHarness.runLoupe(["user", "list", "--lab", lab.root])
        #expect(listed == 0)
        #expect(names == "ana\nbob\n")
    }

    @Test func aBadNameExitsNonZeroPrintingNoToken() throws {
        let lab = try DaemonHarness()
        let (status, output) = try DaemonHarness.runLoupe(["user", "add", "a\u{1b}[2Jb", "--lab", lab.root])
        #expect(status != 0)
        #expect(output == "")
        #expect(try Workspace(at: lab.root, readOnly: true).annotators() == [])
    }

    /// A login code on stderr from `user add`, alone on stdout from `user code`; each signs in once.
    @Test func addAndCodePrintLoginCodesThatSignInOnce() throws {
        let lab = try DaemonHarness()
        let (status, token, errors) = try DaemonHarness.runLoupeCapturingErrors(["user", "add", "rev", "--role", "reviewer", "--lab", lab.root])
        #expect(status == 0 && token.count == 65)
        let fromAdd = try #require(errors.split(separator: "\n").first { $0.hasPrefix("login code for rev: ") })
        #expect(fromAdd.contains("local time"))
        let (coded, code) = try DaemonHarness.runLoupe(["user", "code", "rev", "--lab", lab.root])
        #expect(coded == 0)
        let typed = code.trimmingCharacters(in: .newlines)
        #expect(typed.count == 14 && code == typed + "\n", "one line")
        let workspace = try Workspace(at: lab.root)
        let session = try workspace.redeemLoginCode(name: "rev", code: typed)
        #expect(try workspace.identity(forToken: session) == Identity(name: "rev", role: .reviewer))
        #expect(throws: LoginCodeError.used) { try workspace.redeemLoginCode(name: "rev", code: typed) }
        let (unknown, nothing) = try DaemonHarness.runLoupe(["user", "code", "zed", "--lab", lab.root])
        #expect(unknown != 0 && nothing == "")
    }
}
