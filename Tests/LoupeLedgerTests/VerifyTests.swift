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

    @Test func intactLogVerifiesWithItsHead() throws {
        let folder = TemporaryFolder()
        let (ledger, store, _) = try Self.ledgerWithObjects(folder)
        let report = try Verifier.verify(ledger, objects: store)
        #expect(report.events == 5)
        #expect(report.objects == 5)
        #expect(report.head == (try ledger.head().hash.hexString))
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
