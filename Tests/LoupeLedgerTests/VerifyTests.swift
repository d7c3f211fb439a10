import Foundation
import Testing
@testable import LoupeLedger

@Suite struct VerifyTests {
    static func ledgerWithObjects(_ folder: TemporaryFolder) throws -> (Ledger, ObjectStore, [String]) {
        let ledger = try Ledger(path: "\(folder.path)/l.sqlite")
        let store = ObjectStore(root: "\(folder.path)/objects")
        var shas: [String] = []
        for index in 1...5 {
            let bytes = Array("image number \(index)".utf8)
            let sha = try store.put(bytes)
            shas.append(sha)
            try ledger.append(PendingEvent(stream: "image-\(sha)", eventID: "image:\(sha)", event: .imageIngested(
                ImageIngested(image: sha, originalName: "im\(index).png", width: 1, height: 1, channels: 1, bytes: bytes.count))))
        }
        return (ledger, store, shas)
    }

    @Test func intactLogVerifiesWithItsHeadAndAnchor() throws {
        let folder = TemporaryFolder()
        let (ledger, store, _) = try Self.ledgerWithObjects(folder)
        let report = try Verifier.verify(ledger, objects: store)
        let head = try ledger.head()
        #expect(report.events == 5)
        #expect(report.objects == 5)
        #expect(report.head == head.hash.hexString)
        #expect(report.anchor == HeadAnchor(seq: 5, hash: head.hash))
        #expect(report.unreferencedObjects.isEmpty)
    }

    @Test func theAnchorIsWrittenBesideTheDatabaseOncePerCommittedBatch() throws {
        let folder = TemporaryFolder()
        let ledger = try Ledger(path: "\(folder.path)/l.sqlite")
        #expect(ledger.anchorPath == "\(folder.path)/l.head")
        #expect(try HeadAnchor.read(from: ledger.anchorPath) == nil, "nothing appended, nothing anchored")
        try ledger.append([ingested(1), ingested(2), ingested(3)])
        let text = try String(contentsOfFile: ledger.anchorPath, encoding: .utf8)
        #expect(text == "3 \(try ledger.head().hash.hexString)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }.isEmpty)

        // A batch of duplicates appends nothing and leaves the anchor alone.
        try FileManager.default.removeItem(atPath: ledger.anchorPath)
        #expect(try ledger.append([ingested(1)]) == [Appended(seq: 1, duplicate: true)])
        #expect(try HeadAnchor.read(from: ledger.anchorPath) == nil)
    }

    /// The log cut short three ways: its tail deleted, every row deleted, and the database
    /// swapped for a fresh empty one.
    @Test(arguments: ["tail", "all", "fresh"])
    func aLogCutShortFailsAgainstItsAnchor(cut: String) throws {
        let folder = TemporaryFolder()
        let (ledger, store, _) = try Self.ledgerWithObjects(folder)
        let anchor = HeadAnchor(seq: 5, hash: try ledger.head().hash)
        var logEnds = 0
        var cutLedger = ledger
        switch cut {
        case "tail":
            try ledger.connection.execute("DELETE FROM events WHERE seq > 3")
            logEnds = 3
        case "all":
            try ledger.connection.execute("DELETE FROM events")
        default:
            let elsewhere = TemporaryFolder()
            _ = try Ledger(path: "\(elsewhere.path)/l.sqlite")
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: "\(folder.path)/l.sqlite\(suffix)") }
            try FileManager.default.copyItem(atPath: "\(elsewhere.path)/l.sqlite", toPath: "\(folder.path)/l.sqlite")
            cutLedger = try Ledger(path: "\(folder.path)/l.sqlite", readOnly: true)
        }
        let expected = LedgerError.logCutShort(anchor: anchor, logEnds: logEnds)
        #expect(throws: Verifier.Failure.anchor(expected)) { try Verifier.verify(cutLedger, objects: store) }
        #expect(throws: expected, "a writer refuses to append to it") { try Ledger(path: "\(folder.path)/l.sqlite") }
        #expect("\(expected)".contains("reached seq 5, hash \(anchor.hash.hexString.prefix(12))"))
    }

    @Test func aLogReplacedByAnotherOfTheSameLengthFailsAgainstItsAnchor() throws {
        let folder = TemporaryFolder()
        let (ledger, _, _) = try Self.ledgerWithObjects(folder)
        let anchor = try #require(try HeadAnchor.read(from: ledger.anchorPath))
        let other = TemporaryFolder()
        let replacement = try Ledger(path: "\(other.path)/l.sqlite")
        for index in 11...16 { try replacement.append(ingested(index)) }
        try anchor.write(to: replacement.anchorPath)
        #expect(throws: Verifier.Failure.anchor(.logReplaced(anchor: anchor))) { try Verifier.verify(replacement, objects: nil) }
        #expect(throws: LedgerError.logReplaced(anchor: anchor)) { try Ledger(path: "\(other.path)/l.sqlite") }
    }

    /// A crash between a commit and the anchor's write leaves the anchor a batch behind: the
    /// log still holds it, so verify passes and only reports it; nothing is rewritten.
    @Test func anAnchorOneBatchBehindStillHolds() throws {
        let folder = TemporaryFolder()
        let (ledger, store, _) = try Self.ledgerWithObjects(folder)
        let behind = HeadAnchor(seq: 3, hash: try ledger.events(after: 2, upTo: 3)[0].hash)
        try behind.write(to: ledger.anchorPath)
        let report = try Verifier.verify(ledger, objects: store)
        #expect(report.events == 5)
        #expect(report.anchor == behind)
        #expect(try HeadAnchor.read(from: ledger.anchorPath) == behind)
        _ = try Ledger(path: "\(folder.path)/l.sqlite")
    }

    @Test func anUnreadableAnchorFailsNamingTheFile() throws {
        let folder = TemporaryFolder()
        let (ledger, store, _) = try Self.ledgerWithObjects(folder)
        try Data("5 not-a-hash\n".utf8).write(to: URL(fileURLWithPath: ledger.anchorPath))
        #expect(throws: Verifier.Failure.anchor(.unreadableAnchor(ledger.anchorPath))) { try Verifier.verify(ledger, objects: store) }
    }

    @Test func objectsNoEventNamesAreReportedNotFailed() throws {
        let folder = TemporaryFolder()
        let (ledger, store, _) = try Self.ledgerWithObjects(folder)
        let stray = try store.put(Array("stored, then the process died".utf8))
        try Data("half".utf8).write(to: URL(fileURLWithPath: "\(store.root)/\(stray.prefix(2))/.\(stray).99999999.tmp"))
        let report = try Verifier.verify(ledger, objects: store)
        #expect(report.unreferencedObjects == [stray])
        #expect(report.objects == 5)
    }

    @Test func leftoverTemporaryFilesAreThoseOfNoRunningWriter() throws {
        let folder = TemporaryFolder()
        for name in [".loupe.head.99999999.tmp", ".im1.png.\(getpid()).tmp", "notes.tmp", ".hidden", ".x.tmp", "a.png"] {
            try Data().write(to: URL(fileURLWithPath: "\(folder.path)/\(name)"))
        }
        #expect(DurableFile.leftovers(in: folder.path) == [".loupe.head.99999999.tmp"])
    }

    @Test func oneChangedPayloadByteIsCaughtAtItsSeq() throws {
        let folder = TemporaryFolder()
        let (ledger, store, _) = try Self.ledgerWithObjects(folder)
        try ledger.connection.execute("UPDATE events SET payload = replace(payload, '\"width\":1', '\"width\":2') WHERE seq = 3")
        #expect(throws: Verifier.Failure.badHash(seq: 3)) { try Verifier.verify(ledger, objects: store) }
    }

    @Test func aDeletedRowIsCaught() throws {
        let folder = TemporaryFolder()
        let (ledger, store, _) = try Self.ledgerWithObjects(folder)
        try ledger.connection.execute("DELETE FROM events WHERE seq = 2")
        #expect(throws: Verifier.Failure.gap(expectedSeq: 2, found: 3)) { try Verifier.verify(ledger, objects: store) }
    }

    @Test func aRowRehashedByAForgerStillBreaksTheNextLink() throws {
        let folder = TemporaryFolder()
        let (ledger, store, _) = try Self.ledgerWithObjects(folder)
        var row = try ledger.events(after: 1, upTo: 2)[0]
        row.payload = row.payload.replacingOccurrences(of: "\"width\":1", with: "\"width\":9")
        var hasher = ChainHasher()
        let forged = hasher.hash(prev: row.prevHash, row: row)
        let update = try ledger.connection.prepare("UPDATE events SET payload = ?, hash = ? WHERE seq = 2")
        try update.bind(row.payload, forged).run()
        #expect(throws: Verifier.Failure.brokenLink(seq: 3)) { try Verifier.verify(ledger, objects: store) }
    }

    @Test func aChangedOrMissingObjectIsCaught() throws {
        let folder = TemporaryFolder()
        let (ledger, store, shas) = try Self.ledgerWithObjects(folder)
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: store.path(of: shas[3])))
        let error = #expect(throws: Verifier.Failure.self) { try Verifier.verify(ledger, objects: store) }
        guard case .object(seq: 4, .objectCorrupt(let sha, _)) = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(sha == shas[3])
        try FileManager.default.removeItem(atPath: store.path(of: shas[3]))
        #expect(throws: Verifier.Failure.object(seq: 4, .objectMissing(shas[3]))) { try Verifier.verify(ledger, objects: store) }
    }

    @Test func objectStoreNeverRewritesAndNamesByHash() throws {
        let folder = TemporaryFolder()
        let store = ObjectStore(root: "\(folder.path)/objects")
        let sha = try store.put(Array("abc".utf8))
        #expect(sha == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(store.path(of: sha).hasSuffix("/objects/ba/\(sha)"))
        #expect(try store.put(Array("abc".utf8)) == sha)
        #expect(try store.read(sha) == Array("abc".utf8))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: "\(folder.path)/objects/ba")
        #expect(leftovers == [sha])
    }
}
