import Foundation
import LoupeLedger
import LoupeVision
import Testing

/// Issue 9, item 2: a writer that pauses longer than the settle time used to lose its image
/// (refused as truncated, then finished into rejected/). An incomplete file is now waited for
/// while it is young, and refused as truncated only after the grace time.
@Suite(.serialized) struct StalledWriterTests {
    static func noise(side: Int = 160) throws -> [UInt8] {
        var generator = SeededGenerator(seed: 5)
        let pixels = (0..<side * side * 3).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        return try ImageCodec.encodePNG(RasterImage(width: side, height: side, channels: 3, pixels: pixels))
    }

    @Test func aWriterThatPausesMidFileHasItsWholeImageIngested() throws {
        let lab = try DaemonHarness()
        try lab.start()
        let bytes = try Self.noise()
        let path = "\(lab.root)/inbox/stalled.png"
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.write(Data(bytes.prefix(bytes.count / 3)))
        // The daemon finds a third of a PNG, settled: it must leave it where it is.
        let deadline = Date().addingTimeInterval(120)
        while !lab.daemonLog.contains("left in place: incomplete PNG"), Date() < deadline { usleep(50_000) }
        #expect(lab.daemonLog.contains("left in place: incomplete PNG"), "\(lab.daemonLog)")
        #expect(try lab.ledger.events(type: .imageRejected).isEmpty)
        handle.write(Data(bytes.dropFirst(bytes.count / 3)))
        try handle.close()
        try lab.waitFor("the finished image") { try $0.events(type: .imageIngested).count == 1 }
        guard case .imageIngested(let ingested) = try lab.ledger.events(type: .imageIngested)[0].decoded() else {
            Issue.record("the first ImageIngested row decodes to another event")
            return
        }
        #expect(ingested.image == ObjectStore.sha256(bytes), "the whole file, not the part first seen")
        #expect(try lab.ledger.events(type: .imageRejected).isEmpty)
        #expect(try lab.signal(SIGTERM) == 0)
    }

    @Test func anIncompleteFileOlderThanTheGraceTimeIsRefusedAsTruncated() throws {
        let lab = try DaemonHarness(settings: """
            {"watch": {"rescanSeconds": 0.5, "settleMilliseconds": 100, "incompleteGraceSeconds": 0}}
            """)
        try lab.start()
        let bytes = try Self.noise()
        try lab.drop(Array(bytes.prefix(bytes.count / 2)), as: "half.png", into: "inbox")
        try lab.waitFor("the refusal") { _ in lab.listing("rejected") == ["half.png", "half.png.reason.txt"] }
        let refused = try #require(try lab.ledger.projections.rejected().first)
        #expect(refused.reason.hasPrefix("truncated: incomplete PNG"), "\(refused.reason)")
        #expect(try lab.signal(SIGTERM) == 0)
    }
}
