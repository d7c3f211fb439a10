import Foundation
import Testing
@testable import LoupeLedger

@Suite struct MigrationTests {
    @Test func embeddedMigrationsEqualTheMigrationsFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Migrations").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(Migrator.embedded.map(\.file) == files)
        for (file, sql) in Migrator.embedded {
            #expect(sql == (try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)), "\(file)")
        }
        #expect(files.first?.hasPrefix("0001_") == true)
    }

    @Test func newDatabaseReachesTheLatestVersion() throws {
        let folder = TemporaryFolder()
        let ledger = try Ledger(path: "\(folder.path)/l.sqlite")
        #expect(try ledger.connection.scalarInt("PRAGMA user_version") == Migrator.latestVersion)
        #expect(try ledger.connection.scalarInt("SELECT count(*) FROM sqlite_master WHERE name IN ('events', 'images', 'models', 'runs', 'rejected')") == 5)
    }

    @Test func existingDatabaseKeepsItsEventsAndIsNotMigratedTwice() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/l.sqlite"
        try Ledger(path: path).append(ingested(1))
        let reopened = try Ledger(path: path)
        #expect(try reopened.head().seq == 1)
        #expect(try reopened.connection.scalarInt("PRAGMA user_version") == Migrator.latestVersion)
    }

    @Test func olderDatabaseIsMigratedForward() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/l.sqlite"
        let old = try Connection(path: path)
        try old.execute(Migrator.embedded[0].sql)
        try old.execute("PRAGMA user_version = 1")
        let ledger = try Ledger(path: path)
        #expect(try ledger.connection.scalarInt("PRAGMA user_version") == Migrator.latestVersion)
        #expect(try ledger.append(ingested(1)).seq == 1)
        #expect(try ledger.projections.images().count == 1)
    }

    /// `loupe status` on a lab the previous release wrote: read-only, yet it must see the
    /// tables of the later migrations (empty, as a replay of the old log would make them).
    @Test func aReadOnlyOpenOfAnOlderDatabaseMigratesItAndStaysReadOnly() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/l.sqlite"
        let old = try Connection(path: path)
        for migration in Migrator.embedded.prefix(Migrator.latestVersion - 1) { try old.execute(migration.sql) }
        try old.execute("PRAGMA user_version = \(Migrator.latestVersion - 1)")

        let reader = try Ledger(path: path, readOnly: true)
        #expect(try reader.connection.scalarInt("PRAGMA user_version") == Migrator.latestVersion)
        #expect(try reader.head().seq == 0)
        #expect(try reader.projections.images().isEmpty)
        #expect(throws: (any Error).self) { try reader.append(ingested(1)) }
        #expect(try Replay.differences(Ledger(path: path), livePath: path) == [])
    }

    @Test func newerDatabaseIsRefusedNamingBothVersions() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/l.sqlite"
        _ = try Ledger(path: path)
        try Connection(path: path).execute("PRAGMA user_version = 99")
        let error = #expect(throws: LedgerError.self) { try Ledger(path: path) }
        #expect(error == .databaseTooNew(databaseVersion: 99, binaryVersion: Migrator.latestVersion))
        #expect(error.map { "\($0)" }?.contains("99") == true)
    }
}

@Suite struct OperatorMigrationTests {
    /// A log written before migration 0004 gets empty annotator and control tables, which is
    /// what a replay of it (no such events) makes: `replay --check` stays clean.
    @Test func aDatabaseAtVersionThreeGainsEmptyOperatorTablesThatAgreeWithReplay() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/l.sqlite"
        let old = try Connection(path: path)
        for migration in Migrator.embedded.prefix(3) { try old.execute(migration.sql) }
        try old.execute("PRAGMA user_version = 3")
        let ledger = try Ledger(path: path)
        try ledger.append(ingested(1))
        #expect(try ledger.connection.scalarInt("PRAGMA user_version") == Migrator.latestVersion)
        #expect(try ledger.projections.annotators() == [])
        #expect(try ledger.projections.controls() == ControlsRecord(paused: false, pinnedModel: nil, trainingRequestedSeq: nil))
        #expect(try Replay.differences(ledger, livePath: path) == [])
    }

    @Test func aNewTokenReplacesTheOldAndARequestIsAnsweredByATrainingStart() throws {
        let folder = TemporaryFolder()
        let ledger = try Ledger(path: "\(folder.path)/l.sqlite")
        try ledger.append(PendingEvent(stream: "annotators", eventID: "a1", event: .annotatorAdded(AnnotatorAdded(name: "ana", tokenSHA256: sha(1)))))
        try ledger.append(PendingEvent(stream: "annotators", eventID: "a2", event: .annotatorAdded(AnnotatorAdded(name: "ana", tokenSHA256: sha(2)))))
        #expect(try ledger.projections.annotator(tokenSHA256: sha(1)) == nil)
        #expect(try ledger.projections.annotator(tokenSHA256: sha(2))?.name == "ana")
        #expect(try ledger.projections.annotator(tokenSHA256: sha(2))?.role == "annotator", "an event without a role names an annotator")
        #expect(try ledger.projections.annotators() == [AnnotatorRecord(name: "ana", addedSeq: 1, tokenSeq: 2, role: "annotator")])
        try ledger.append(PendingEvent(stream: "annotators", eventID: "a3",
                                       event: .annotatorAdded(AnnotatorAdded(name: "ana", tokenSHA256: sha(3), role: "operator"))))
        #expect(try ledger.projections.annotator(tokenSHA256: sha(3))?.role == "operator", "a new token carries its role")
        #expect(try Replay.differences(ledger, livePath: "\(folder.path)/l.sqlite") == [], "replay rebuilds the roles")

        try ledger.append(PendingEvent(stream: "controls", eventID: "c1", event: .trainingRequested(OperatorAction(by: "ana"))))
        try ledger.append(PendingEvent(stream: "controls", eventID: "c2", event: .trainingPaused(OperatorAction(by: nil))))
        #expect(try ledger.projections.controls() == ControlsRecord(paused: true, pinnedModel: nil, trainingRequestedSeq: 4))
        try ledger.append(PendingEvent(stream: "run-1", eventID: "r1", event: .trainingStarted(TrainingStarted(
            run: 1, configHash: "c", config: "{}", seed: 1, warmStart: nil, trainingSet: [], validationSet: [], upToSeq: 4))))
        #expect(try ledger.projections.controls() == ControlsRecord(paused: true, pinnedModel: nil, trainingRequestedSeq: nil))
    }
}
