import Testing
import LoupeLab

/// The daemon's one scheduling rule as a table of situations: no daemon, no clock.
@Suite struct WorkPolicyTests {
    static let policy: RetrainPolicy = {
        var policy = RetrainPolicy()
        policy.minNewCorrections = 2
        policy.quietSeconds = 10
        return policy
    }()

    static func situation(
        running: Bool = false, corrections: Int = 0, quiet: Double? = nil, next: String? = nil, retry: Bool = false,
        paused: Bool = false, requested: Bool = false, elsewhere: TrainingElsewhere? = nil
    ) -> WorkSituation {
        WorkSituation(
            jobRunning: running, newCorrections: corrections, secondsSinceLastCorrection: quiet, nextPrediction: next,
            retryBelowFloor: retry, paused: paused, trainingRequested: requested, trainingElsewhere: elsewhere
        )
    }

    @Test(arguments: [
        (situation(), NextWork.idle),
        (situation(running: true, corrections: 5, quiet: 60, next: "a"), .busy),
        (situation(next: "a"), .predict(image: "a")),
        (situation(corrections: 1, quiet: 60, next: "a"), .predict(image: "a")),
        (situation(corrections: 1, quiet: 60), .idle),
        (situation(corrections: 2, quiet: 10), .train),
        (situation(corrections: 2, quiet: 60, next: "a"), .train),
        (situation(corrections: 2, quiet: nil), .train),
        (situation(corrections: 2, quiet: 4, next: "a"), .predict(image: "a")),
        (situation(corrections: 2, quiet: 4), .wait(seconds: 6)),
        (situation(retry: true), .train),
        (situation(next: "a", retry: true), .train),
        (situation(corrections: 1, quiet: 60, retry: true), .train),
        (situation(corrections: 1, quiet: 4, retry: true), .wait(seconds: 6)),
        (situation(running: true, retry: true), .busy),
        (situation(corrections: 1, quiet: 0, next: "a", requested: true), .train),
        (situation(running: true, requested: true), .busy),
        (situation(corrections: 5, quiet: 60, next: "a", paused: true), .predict(image: "a")),
        (situation(corrections: 5, quiet: 60, paused: true), .idle),
        (situation(corrections: 5, quiet: 4, paused: true), .idle),
        (situation(retry: true, paused: true), .idle),
        (situation(next: "a", paused: true, requested: true), .predict(image: "a")),
        // A training on the cluster: predictions go on here; a queued one is replaced by a
        // newer one when due, a running one is waited for.
        (situation(next: "a", elsewhere: .running), .predict(image: "a")),
        (situation(corrections: 2, quiet: 60, next: "a", elsewhere: .running), .predict(image: "a")),
        (situation(corrections: 2, quiet: 60, elsewhere: .running), .idle),
        (situation(requested: true, elsewhere: .running), .idle),
        (situation(corrections: 2, quiet: 60, next: "a", elsewhere: .queued), .train),
        (situation(corrections: 2, quiet: 4, elsewhere: .queued), .wait(seconds: 6)),
        (situation(corrections: 1, quiet: 60, next: "a", elsewhere: .queued), .predict(image: "a")),
        (situation(corrections: 2, quiet: 60, paused: true, elsewhere: .queued), .idle),
    ])
    func nextWork(_ situation: WorkSituation, _ expected: NextWork) {
        #expect(Self.policy.nextWork(situation) == expected)
    }
}
