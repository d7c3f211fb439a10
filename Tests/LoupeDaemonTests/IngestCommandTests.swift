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
