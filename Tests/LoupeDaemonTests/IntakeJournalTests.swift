import Foundation
import LoupeLab
import Testing
@testable import LoupeDaemon

/// Issue 9, item 7: a file that kills the daemon while it is read must not kill every restart.
@Suite(.serialized) struct IntakeJournalTests {
    let root = NSTemporaryDirectory() + "loupe-journal-\(UUID().uuidString)"

    init() throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// A run of the daemon that dies (the journal is dropped without `finished`).
    private func dieWhileReading(_ file: String) throws {
        let journal = try IntakeJournal(lab: root)
        journal.started(file)
    }

    @Test func aFileReadWhenTheProcessDiedTwiceIsQuarantinedAndOnceIsReadAgain() throws {
        let file = "\(root)/bomb.png"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: file))
        try dieWhileReading(file)
        #expect(try IntakeJournal(lab: root).toQuarantine.isEmpty, "one death: read it again")
        try dieWhileReading(file)
        try dieWhileReading(file)
        let journal = try IntakeJournal(lab: root)
        #expect(journal.toQuarantine.map(\.path) == [file])
        #expect(journal.toQuarantine.map(\.deaths) == [2])
    }

    @Test func aFileReadToTheEndOrReplacedSinceIsNotHeldAgainstIt() throws {
        let finished = "\(root)/fine.png", replaced = "\(root)/replaced.png"
        for path in [finished, replaced] { try Data([1]).write(to: URL(fileURLWithPath: path)) }
        for _ in 0..<3 {
            let journal = try IntakeJournal(lab: root)
            journal.started(finished)
            journal.finished(finished)
            journal.started(replaced)
        }
        // A new file under the same name is not the one that killed the daemon.
        try FileManager.default.removeItem(atPath: replaced)
        try Data([2, 2]).write(to: URL(fileURLWithPath: replaced))
        #expect(try IntakeJournal(lab: root).toQuarantine.isEmpty)
    }

    @Test func theDaemonQuarantinesAtStartAFileItDiedReadingTwice() throws {
        let lab = try DaemonHarness()
        let file = "\(lab.root)/inbox/bomb.png"
        try Data(Synthetic.image(seed: 1)).write(to: URL(fileURLWithPath: file))
        for _ in 0..<2 {
            let journal = try IntakeJournal(lab: lab.root)
            journal.started(file)
        }
        try lab.start()
        try lab.waitFor("the quarantine") { _ in lab.listing("rejected") == ["bomb.png", "bomb.png.reason.txt"] }
        let rejected = try #require(try lab.ledger.projections.rejected().first)
        #expect(rejected.reason.hasPrefix("quarantined: the daemon died 2 times while reading this file"))
        #expect(try lab.ledger.events(type: .imageIngested).isEmpty)
        #expect(try lab.signal(SIGTERM) == 0, "\(lab.daemonLog)")
    }
}
