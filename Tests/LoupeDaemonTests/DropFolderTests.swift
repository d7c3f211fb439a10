import Foundation
import Testing
@testable import LoupeDaemon

@Suite struct DropFolderTests {
    let root = NSTemporaryDirectory() + "loupe-drop-\(UUID().uuidString)"

    init() throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    private func write(_ name: String, _ bytes: Int, modified: Date? = nil) throws {
        let path = "\(root)/\(name)"
        try Data(repeating: 7, count: bytes).write(to: URL(fileURLWithPath: path))
        if let modified { try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path) }
    }

    @Test func aFreshFileIsTakenOnlyAfterStayingUnchangedForTheSettleTime() throws {
        var folder = DropFolder(path: root)
        let now = Date()
        try write("a.png", 10, modified: now)
        #expect(folder.scan(now: 1_000, settle: 500, wallClock: now).files == [])
        #expect(folder.scan(now: 1_400, settle: 500, wallClock: now.addingTimeInterval(0.4)).files == [])
        try write("a.png", 20, modified: now.addingTimeInterval(0.4))
        #expect(folder.scan(now: 1_600, settle: 500, wallClock: now.addingTimeInterval(0.6)).files == [], "it grew: the wait starts again")
        #expect(folder.nextSettle(settle: 500) == 2_100)
        #expect(folder.scan(now: 2_100, settle: 500, wallClock: now.addingTimeInterval(1.1)).files == ["a.png"])
    }

    @Test func aFileLastWrittenLongAgoIsTakenAtOnce() throws {
        var folder = DropFolder(path: root)
        try write("renamed-in.png", 10, modified: Date().addingTimeInterval(-5))
        #expect(folder.scan(now: 10, settle: 500).files == ["renamed-in.png"])
    }

    @Test func temporaryNamesAndDotFilesAreIgnoredAndEveryOtherEntryIsAccountedFor() throws {
        var folder = DropFolder(path: root)
        let old = Date().addingTimeInterval(-5)
        for name in [".hidden.png", "copying.png.tmp", "upload.png.part", "ok.png"] { try write(name, 3, modified: old) }
        try FileManager.default.createDirectory(atPath: "\(root)/sub", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: "\(root)/link.png", withDestinationPath: "\(root)/ok.png")
        #expect(mkfifo("\(root)/pipe.png", 0o644) == 0)
        let raw: [UInt8] = Array("\(root)/bad".utf8) + [0xFF, 0xFE] + Array(".png".utf8) + [0]
        let fd = raw.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) } }
        close(fd)
        // The folder, link and FIFO were made just now: they are handed out once stable.
        let listing = folder.scan(now: 10_000, settle: 500, wallClock: Date().addingTimeInterval(1))
        #expect(listing.files == ["ok.png"])
        #expect(listing.others == ["link.png", "pipe.png", "sub"])
        #expect(listing.undecodable == [Array("bad".utf8) + [0xFF, 0xFE] + Array(".png".utf8)])
        #expect(!folder.isEmpty)
    }
}
