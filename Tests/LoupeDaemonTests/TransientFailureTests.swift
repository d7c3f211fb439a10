import Foundation
import Testing
@testable import LoupeLedger

/// Issue 9, item 4: a database that is busy (or full) used to stop the daemon for good. Now the
/// file stays where it is and the daemon retries with back-off.
@Suite(.serialized) struct TransientFailureTests {
    @Test func aBusyDatabaseLeavesTheFileInPlaceAndTheDaemonTakesItOnceTheLockIsGone() throws {
        let lab = try DaemonHarness()
        try lab.start()
        let blocker = try Connection(path: "\(lab.root)/loupe.sqlite")
        try blocker.execute("BEGIN IMMEDIATE")
        try lab.drop(Synthetic.image(seed: 1), as: "im1.png", into: "inbox")
        // SQLite waits 5 s for the lock, then the daemon backs off.
        let deadline = Date().addingTimeInterval(120)
        while !lab.daemonLog.contains("files stay where they are"), Date() < deadline { usleep(100_000) }
        #expect(lab.daemonLog.contains("recording 1 images failed"), "\(lab.daemonLog)")
        #expect(lab.listing("inbox") == ["im1.png"], "the file waits in the inbox")
        try blocker.execute("ROLLBACK")
        try lab.waitFor("the image once the lock is released") { try $0.events(type: .imageIngested).count == 1 }
        #expect(try !lab.types().contains("DaemonStopped"), "the daemon kept running")
        // The event commits before the daemon logs that intake resumed: wait for the line too.
        let logged = Date().addingTimeInterval(30)
        while !lab.daemonLog.contains("intake resumed"), Date() < logged { usleep(50_000) }
        #expect(lab.daemonLog.contains("intake resumed"), "\(lab.daemonLog)")
        #expect(lab.listing("inbox").isEmpty)
        #expect(try lab.signal(SIGTERM) == 0)
    }
}
