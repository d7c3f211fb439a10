import LoupeLab

/// What the daemon recorded during one round: the corrections it accepted, the trainings it
/// ran and their fate, and the predictions it made.
struct RoundEvents {
    var corrections: [CorrectionAccepted] = []
    var trainings: [RoundTraining] = []
    var predictions = 0
    var predictionMs = 0

    init(lab: Workspace, after seq: Int) throws {
        try lab.forEachEvent(after: seq) { row in
            switch try row.decoded() {
            case .correctionAccepted(let accepted):
                corrections.append(accepted)
            case .trainingStarted(let started):
                trainings.append(RoundTraining(run: started.run, outcome: "unfinished"))
            case .modelTrained(let trained):
                update(run: trained.run) {
                    $0.model = trained.model
                    $0.epochs = trained.epochs
                    $0.ms = trained.ms
                    $0.validationDice = trained.validationDice
                }
            case .modelPromoted(let promoted):
                update(model: promoted.model) { $0.outcome = "promoted" }
            case .modelRejected(let rejected):
                update(model: rejected.model) { $0.outcome = "rejected" }
            case .trainingFailed(let ended):
                update(run: ended.run) { $0.outcome = "failed" }
            case .trainingAborted(let ended):
                update(run: ended.run) { $0.outcome = "aborted" }
            case .predictionMade(let made):
                predictions += 1
                predictionMs += made.ms
            default:
                break
            }
        }
    }

    var trainingMs: Int { trainings.compactMap(\.ms).reduce(0, +) }

    private mutating func update(run: Int, _ change: (inout RoundTraining) -> Void) {
        if let index = trainings.firstIndex(where: { $0.run == run }) { change(&trainings[index]) }
    }

    private mutating func update(model: String, _ change: (inout RoundTraining) -> Void) {
        if let index = trainings.firstIndex(where: { $0.model == model }) { change(&trainings[index]) }
    }
}
