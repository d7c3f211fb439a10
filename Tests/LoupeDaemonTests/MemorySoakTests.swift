import Foundation
import LoupeHarness
import Testing

/// Issue 21, item 6: an idle daemon held 1.0 GB after four trainings of the tour. glibc kept
/// what the pool and compute threads freed; now the daemon uses one arena and trims it after
/// every training and sweep.
@Suite(.serialized) struct MemorySoakTests {
    @Test func afterEachTrainingAndSweepTheDaemonsOwnMemoryComesBackNearItsStart() throws {
        let report = try MemorySoak(trainings: 3, size: 256, epochs: 1, executable: DaemonHarness.binary).run { _ in }
        try #require(report.rows.count == 3)
        // Before the fix the daemon's anonymous memory grew by about 50 MiB here (to 300 MiB
        // resident at the 20th training); allocator noise is a few MiB.
        #expect(report.anonymousAtEnd - report.anonymousAtStart < 20, "\(report.render())")
        let peak = try #require(report.rows.last?.peak)
        #expect(report.rows.allSatisfy { $0.idle < report.start + (peak - report.start) / 2 }, "\(report.render())")
    }
}
