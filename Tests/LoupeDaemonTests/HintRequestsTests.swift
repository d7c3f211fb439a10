import Foundation
import LoupeLedger
import LoupeVision
import Synchronization
import Testing
@testable import LoupeDaemon
@testable import LoupeLab

/// The loop's queue of hints experts wait for: bounded, one at a time in the order asked, and a
/// waiter that leaves before its hint starts takes it with it.
@Suite struct HintRequestsTests {
    final class Answers: Sendable {
        let got = Mutex<[String]>([])
        func reply(_ name: String) -> HintRequests.Reply {
            { result in self.got.withLock { $0.append("\(name):\((try? result.get()) == nil ? "failed" : "answered")") } }
        }
    }

    static func job(_ image: String) throws -> HintJob {
        let weights = try ModelWeights(initializing: ModelConfig(channels: [2], bottleneck: 2, guidance: true), seed: 1)
        return HintJob(
            image: image, model: ServingModel(sha: "m", weights: weights),
            prediction: PredictionMade(image: image, model: "m", mask: "k", uncertainty: 0, vesselFraction: 0, ms: 0),
            clicks: [Click(x: 1, y: 1, kind: .vessel)], newCount: 1, objects: ObjectStore(root: NSTemporaryDirectory()),
            sessions: HintSessions()
        )
    }

    @Test func boundedInOrderAndCancellable() throws {
        var queue = HintRequests()
        let answers = Answers()
        let added = try (1...4).map { queue.add(ticket: UInt64($0), job: try Self.job("i\($0)"), reply: answers.reply("\($0)"), limit: 3) }
        #expect(added == [true, true, true, false], "a fourth hint is over the limit")

        let first = queue.start(), second = queue.start()
        #expect(first?.image == "i1" && second == nil, "one at a time, the first asked first")
        queue.remove(ticket: 2)?(.failure(CancellationError()))
        #expect(queue.pending.map(\.ticket) == [3], "a waiter that left took its queued hint")
        queue.remove(ticket: 1)?(.failure(CancellationError()))
        #expect(queue.finish() == nil, "the running hint's waiter left: its answer goes nowhere")
        #expect(queue.start()?.image == "i3")
        queue.finish()?(.failure(OnDemandError.failed("test")))
        #expect(queue.isIdle && queue.waiting == 0)
        #expect(answers.got.withLock { $0 } == ["2:failed", "1:failed", "3:failed"])
    }
}
