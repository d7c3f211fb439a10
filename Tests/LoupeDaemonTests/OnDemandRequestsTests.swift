import Foundation
import LoupeLab
import Synchronization
import Testing
@testable import LoupeDaemon

/// The loop's queue of predictions someone waits for: bounded, shared per image, in order,
/// and a waiter that leaves takes its request with it.
@Suite struct OnDemandRequestsTests {
    final class Answers: Sendable {
        let got = Mutex<[String]>([])
        func reply(_ name: String) -> OnDemandRequests.Reply {
            { result in self.got.withLock { $0.append("\(name):\((try? result.get()) == nil ? "failed" : "made")") } }
        }
    }

    @Test func boundedSharedOrderedAndCancellable() throws {
        var queue = OnDemandRequests()
        let answers = Answers()
        let added = [("a", 1), ("b", 2), ("a", 3), ("c", 4)].map { queue.add(image: $0.0, ticket: UInt64($0.1), reply: answers.reply("\($0.1)"), limit: 3) }
        #expect(added == [true, true, true, false], "a second waiter shares image a; a fourth is over the limit")
        #expect(queue.pending.map(\.image) == ["a", "b"])

        let first = queue.start(), second = queue.start()
        #expect(first == "a" && second == nil, "one at a time")
        let removed = queue.remove(image: "b", ticket: 2)
        let left = try #require(removed)
        left(.failure(CancellationError()))
        #expect(queue.pending.isEmpty, "b had no other waiter: its request went with it")
        let finished = queue.finish()
        for reply in finished { reply(.failure(OnDemandError.failed("test"))) }
        #expect(queue.isIdle && queue.waiting == 0)
        #expect(answers.got.withLock { $0.sorted() } == ["1:failed", "2:failed", "3:failed"])

        let addedLater = queue.add(image: "d", ticket: 5, reply: answers.reply("5"), limit: 3)
        let drained = queue.drainPending()
        #expect(addedLater && drained.count == 1 && queue.pending.isEmpty, "a stopping daemon answers every queued waiter")
    }
}
