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
