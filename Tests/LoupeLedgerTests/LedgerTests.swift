import Foundation
import Testing
@testable import LoupeLedger

@Suite struct LedgerTests {
    @Test func appendsNumberSeqAndStreamVersionsInOrder() throws {
        let folder = TemporaryFolder()
        let ledger = try Ledger(path: "\(folder.path)/l.sqlite")
        let results = try ledger.append([ingested(1), ingested(2)])
        #expect(results == [Appended(seq: 1, duplicate: false), Appended(seq: 2, duplicate: false)])
        let rows = try ledger.events()
        #expect(rows.map(\.version) == [1, 1])
        #expect(rows[1].prevHash == rows[0].hash)
        #expect(rows[0].prevHash == ChainHasher.genesis)
        #expect(try ledger.version(of: "image-\(sha(1))") == 1)
    }

    @Test func conflictingExpectedVersionIsATypedErrorAndRollsBackTheBatch() throws {
        let folder = TemporaryFolder()
        let ledger = try Ledger(path: "\(folder.path)/l.sqlite")
        try ledger.append(ingested(1))
        var stale = PendingEvent(
            stream: "image-\(sha(1))", expected: .noStream, eventID: "other",
            event: .daemonStopped(DaemonStopped(version: "t", reason: "r"))
        )
        let error = #expect(throws: LedgerError.self) { try ledger.append([ingested(2), stale]) }
        #expect(error == .versionConflict(stream: "image-\(sha(1))", expected: .noStream, actual: 1))
        #expect(try ledger.head().seq == 1, "the batch's first event was rolled back with it")
        stale.expected = .exact(1)
        #expect(try ledger.append(stale) == Appended(seq: 2, duplicate: false))
        #expect(try ledger.version(of: "image-\(sha(1))") == 2)
        stale.eventID = "third"
        #expect(throws: LedgerError.versionConflict(stream: "image-\(sha(1))", expected: .exact(1), actual: 2)) {
            try ledger.append(stale)
        }
    }

    @Test func sameEventIDTwiceIsOneEventReturningTheFirstSeq() throws {
        let folder = TemporaryFolder()
        let ledger = try Ledger(path: "\(folder.path)/l.sqlite")
        try ledger.append([ingested(1), ingested(2)])
        let again = try ledger.append([ingested(2), ingested(3), ingested(1)])
        #expect(again == [Appended(seq: 2, duplicate: true), Appended(seq: 3, duplicate: false), Appended(seq: 1, duplicate: true)])
        #expect(try ledger.head().seq == 3)
        #expect(try ledger.projections.images().count == 3)
    }

    @Test func payloadIsCanonicalJSONAndDecodesToTheSameEvent() throws {
        let folder = TemporaryFolder()
        let ledger = try Ledger(path: "\(folder.path)/l.sqlite")
        let event = ingested(5)
        try ledger.append(event)
        let row = try #require(try ledger.events().first)
        #expect(row.payload == #"{"bytes":105,"channels":3,"height":6,"image":"\#(sha(5))","originalName":"im5.png","width":8}"#)
        #expect(try row.decoded() == event.event)
    }

    @Test func readOnlyLedgerSeesTheWritersEvents() throws {
        let folder = TemporaryFolder()
        let writer = try Ledger(path: "\(folder.path)/l.sqlite")
        try writer.append(ingested(1))
        let reader = try Ledger(path: "\(folder.path)/l.sqlite", readOnly: true)
        try writer.append(ingested(2))
        #expect(try reader.head().seq == 2)
        #expect(throws: SQLiteError.self) { try reader.append(ingested(3)) }
    }
}
