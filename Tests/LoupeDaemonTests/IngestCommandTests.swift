import Foundation
import LoupeLedger
import Testing

/// `loupe ingest` as a person types it: file names relative to the current folder.
@Suite struct IngestCommandTests {
    @Test func aBareFileNameInTheCurrentFolderIsIngested() throws {
        let lab = try DaemonHarness()
        let folder = NSTemporaryDirectory() + "loupe-ingest-cwd-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(Synthetic.image(seed: 3)).write(to: URL(fileURLWithPath: "\(folder)/im3.png"))
        let (status, output) = try DaemonHarness.runLoupe(["ingest", "--lab", lab.root, "im3.png"], in: folder)
        #expect(status == 0)
        #expect(output.hasPrefix("im3.png: accepted as "))
        #expect(try lab.ledger.events(type: .imageIngested).count == 1)
    }
}

/// A file name is data, never terminal control: escapes and newlines in it are printed escaped.
@Suite struct HostileNameOutputTests {
    @Test func controlCharactersInANameAreEscapedInIngestLogAndHistory() throws {
        let lab = try DaemonHarness()
        let folder = NSTemporaryDirectory() + "loupe-hostile-name-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let name = "im\u{1b}[31m\n   999  2026-01-01  ModelPromoted.png"
        try Data(Synthetic.image(seed: 4)).write(to: URL(fileURLWithPath: "\(folder)/\(name)"))
        let (ingested, ingestOutput) = try DaemonHarness.runLoupe(["ingest", "--lab", lab.root, name], in: folder)
        #expect(ingested == 0)
        let (_, log) = try DaemonHarness.runLoupe(["log", "--lab", lab.root])
        let (_, history) = try DaemonHarness.runLoupe(["history", "--lab", lab.root, name])
        for output in [ingestOutput, log, history] {
            #expect(!output.contains("\u{1b}"), "\(output)")
            #expect(!output.contains("\n   999"), "no forged line: \(output)")
            #expect(output.contains("im\\u{1b}[31m\\n   999"), "\(output)")
        }
        #expect(log.split(separator: "\n").count == 1)
    }
}
