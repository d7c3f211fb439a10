import LoupeLedger
import LoupeVision

/// After a model falls below the promotion floor, the next training gets a larger budget:
/// twice the epochs of the run before, up to `maxFactor` times the epochs of the first run
/// that fell short. The larger budget is in the run's TrainingStarted config, so `loupe
/// reproduce` trains it again as it was.
struct BudgetEscalation: Sendable, Equatable {
    /// The most a training is stretched: a model still useless at 8x its budget is waiting for
    /// better corrections, not for more epochs.
    static let maxFactor = 8

    /// The latest runs that made a model below the floor, counted back to the last one that
    /// did not (aborted and failed runs are passed over).
    var shortRuns: Int
    /// Epochs reached by the first of those runs.
    var baseEpochs: Int
    /// The newest ended run made a model below the floor, and with less than `maxFactor`:
    /// train again now, without waiting for a correction.
    var retryDue: Bool

    /// Of the next run's budget over the first short run's.
    var factor: Int { Self.factor(afterShortRuns: shortRuns) }

    static func factor(afterShortRuns runs: Int) -> Int {
        var factor = 1
        for _ in 0..<runs where factor < maxFactor { factor *= 2 }
        return factor
    }

    /// The next run's budget: the configured one (times `coldStartFactor` for a training from
    /// random weights), or after short runs, epochs. A retry doubles the epochs the short run
    /// reached, which already include any cold-start factor.
    func budget(_ configured: TrainingConfig.Budget, coldStartFactor: Int) -> TrainingConfig.Budget {
        shortRuns == 0 ? configured.scaled(by: coldStartFactor) : .epochs(baseEpochs * factor)
    }
}

extension Workspace {
    /// The escalation the log calls for now.
    func budgetEscalation() throws -> BudgetEscalation {
        var belowFloor: Set<String> = []
        try ledger.forEachEvent(type: .modelRejected) { row in
            if case .modelRejected(let e) = try row.decoded(), e.floor != nil { belowFloor.insert(e.model) }
        }
        var short: [RunRecord] = []
        var newestEnded: RunRecord?
        for run in try projections.runs().reversed() where run.status != "aborted" && run.status != "running" {
            newestEnded = newestEnded ?? run
            if run.status == "failed" { continue }
            guard let model = run.model, belowFloor.contains(model) else { break }
            short.append(run)
        }
        guard let first = short.last, let newestEnded else { return BudgetEscalation(shortRuns: 0, baseEpochs: 0, retryDue: false) }
        let epochs = try projections.models().first { $0.sha == first.model }?.epochs ?? 1
        let lastFactor = BudgetEscalation.factor(afterShortRuns: short.count - 1)
        return BudgetEscalation(
            shortRuns: short.count, baseEpochs: max(epochs, 1),
            retryDue: newestEnded.run == short[0].run && lastFactor < BudgetEscalation.maxFactor
        )
    }
}
