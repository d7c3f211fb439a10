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
        #expect(folder.stableFiles(now: 1_000, settle: 500, wallClock: now) == [])
        #expect(folder.stableFiles(now: 1_400, settle: 500, wallClock: now.addingTimeInterval(0.4)) == [])
        try write("a.png", 20, modified: now.addingTimeInterval(0.4))
        #expect(folder.stableFiles(now: 1_600, settle: 500, wallClock: now.addingTimeInterval(0.6)) == [], "it grew: the wait starts again")
        #expect(folder.nextSettle(settle: 500) == 2_100)
        #expect(folder.stableFiles(now: 2_100, settle: 500, wallClock: now.addingTimeInterval(1.1)) == ["a.png"])
    }

    @Test func aFileLastWrittenLongAgoIsTakenAtOnce() throws {
        var folder = DropFolder(path: root)
        try write("renamed-in.png", 10, modified: Date().addingTimeInterval(-5))
        #expect(folder.stableFiles(now: 10, settle: 500) == ["renamed-in.png"])
    }

    @Test func temporaryNamesDotFilesAndFoldersAreIgnored() throws {
        var folder = DropFolder(path: root)
        let old = Date().addingTimeInterval(-5)
        for name in [".hidden.png", "copying.png.tmp", "upload.png.part", "ok.png"] { try write(name, 3, modified: old) }
        try FileManager.default.createDirectory(atPath: "\(root)/sub", withIntermediateDirectories: true)
        #expect(folder.stableFiles(now: 10, settle: 500) == ["ok.png"])
        #expect(!folder.isEmpty)
    }
}
