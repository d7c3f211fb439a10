import Foundation
import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeLab

@Suite struct ReproductionTests {
    /// A lab whose run 1 trained a tiny model for real, after a TrainingStarted that `edit`
    /// may rewrite as another machine or an older log would have written it.
    static func reproduced(_ edit: (inout TrainingStarted) -> Void = { _ in }) throws -> Reproduction {
        let (lab, _) = try TrainingPlanTests.lab(images: 2, corrected: 2)
        var plan = try lab.planTraining()
        plan.model = ModelConfig(channels: [2, 4], bottleneck: 4)
        plan.config = TrainingConfig(budget: .epochs(1), batchSize: 2, seed: 3, augment: AugmentationPipeline(steps: []))
        var started = Workspace.trainingStarted(plan)
        edit(&started)
        try lab.appendTrainingStarted(started)
        // Reproduced whether or not it clears the serving floor: a rejected model is in the log too.
        let outcome = lab.trainingJob(plan, current: nil).run()
        guard case .trained(let trained) = outcome else { throw ReproductionError.unknownModel("\(outcome)") }
        try lab.recordTraining(outcome, plan: plan, current: nil)
        return try lab.reproduce(model: String(trained.model.prefix(12)))
    }

    static var otherCore: String { BLASKernel.current.core == "Prescott" ? "Haswell" : "Prescott" }

    @Test func theSameKernelsGiveTheSameWeightsAndNoDifference() throws {
        let result = try Self.reproduced()
        #expect(result.matches)
        #expect(result.recordedKernel == BLASKernel.current)
        #expect(result.differences == [])
        #expect(result.cause == "kernel, library and threads all match the recorded run's, so the difference is elsewhere")
    }

    @Test func aKernelRecordedOnAnotherCoreIsNamed() throws {
        let current = BLASKernel.current
        let result = try Self.reproduced {
            $0.blasKernel = Self.otherCore
            $0.blasLibrary = current.library.replacingOccurrences(of: current.core, with: Self.otherCore)
        }
        #expect(result.differences == [.kernel])
        #expect(result.cause.hasPrefix("differs from the recorded run in: kernel (\(Self.otherCore), now \(current.core));"))
        #expect(result.cause.contains("OPENBLAS_CORETYPE=\(Self.otherCore)"))
    }

    @Test func anotherLibraryVersionIsNamedButNotItsCore() throws {
        let current = BLASKernel.current
        let older = current.library.replacingOccurrences(of: "OpenBLAS ", with: "OpenBLAS 0.2.")
        let result = try Self.reproduced {
            $0.blasKernel = current.core
            $0.blasLibrary = older
        }
        #expect(result.differences == [.library])
        #expect(result.cause == "differs from the recorded run in: library (\(BLASKernel(core: current.core, library: older).libraryBuild), now \(current.libraryBuild))")
    }

    @Test func aLogFromBeforeKernelsWereRecordedSaysSo() throws {
        let result = try Self.reproduced {
            $0.blasKernel = nil
            $0.blasLibrary = nil
            $0.threads = nil
        }
        #expect(result.matches)
        #expect(result.recordedKernel == nil)
        #expect(result.differences == [])
        #expect(result.cause == "run 1 recorded no kernel or library (its log predates them), so they cannot be compared; threads match")
    }

    @Test func trainingStartedRecordsThisProcesssKernelsAndThreads() throws {
        let (lab, _) = try TrainingPlanTests.lab(images: 2, corrected: 2)
        try lab.recordTrainingStarted(try lab.planTraining())
        guard case .trainingStarted(let started) = try lab.ledger.events(type: .trainingStarted)[0].decoded() else {
            Issue.record("no TrainingStarted")
            return
        }
        #expect(started.blasKernel == BLASKernel.current.core)
        #expect(started.blasLibrary == BLASKernel.current.library)
        #expect(started.threads == ComputeThreads.count)
    }
}
