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
}
