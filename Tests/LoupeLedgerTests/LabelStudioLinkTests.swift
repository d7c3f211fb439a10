import Testing
@testable import LoupeLedger

@Suite struct LabelStudioLinkTests {
    func link(_ task: Int, to image: Int, project: Int = 3) -> LedgerEvent {
        .labelStudioTaskLinked(LabelStudioTaskLinked(project: project, task: task, image: sha(image), source: "/data/upload/\(project)/x.png"))
    }

    /// A log from before migration 0005 gains an empty task table, as a replay of it makes.
    @Test func aDatabaseAtVersionFourGainsAnEmptyTaskTableThatAgreesWithReplay() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/l.sqlite"
        let old = try Connection(path: path)
        for migration in Migrator.embedded.prefix(4) { try old.execute(migration.sql) }
        try old.execute("PRAGMA user_version = 4")
        let ledger = try Ledger(path: path)
        try ledger.append(ingested(1))
        #expect(try ledger.connection.scalarInt("PRAGMA user_version") == Migrator.latestVersion)
        #expect(try ledger.projections.labelStudioImage(project: 3, task: 1) == nil)
        #expect(try Replay.differences(ledger, livePath: path) == [])
    }

    @Test func theNewestLinkOfATaskWinsPerProjectAndReplayAgrees() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/l.sqlite"
        let ledger = try Ledger(path: path)
        try ledger.append(PendingEvent(stream: "label-studio", expected: .any, eventID: "l1", event: link(7, to: 1)))
        try ledger.append(PendingEvent(stream: "label-studio", expected: .any, eventID: "l2", event: link(7, to: 1, project: 4)))
        try ledger.append(PendingEvent(stream: "label-studio", expected: .any, eventID: "l3", event: link(7, to: 2)))
        #expect(try ledger.projections.labelStudioImage(project: 3, task: 7) == sha(2))
        #expect(try ledger.projections.labelStudioImage(project: 4, task: 7) == sha(1))
        #expect(try ledger.projections.labelStudioImage(project: 3, task: 8) == nil)
        #expect(try Replay.differences(ledger, livePath: path) == [])
    }
}
