import LoupeLab
import LoupeVision

/// `simulate.json`: every number of one simulated run, rewritten after each round so an
/// interrupted run keeps the rounds it finished.
package struct SimulationReport: Codable {
    var dataset: String
    var annotator: String
    /// The dataset's FOV folder, or "estimated" from each photograph.
    var fov: String
    package var strategy: String
    var initial: Int
    var batch: Int
    package var lab: String
    var settings: Settings
    var images: Int
    /// False until the last round ran: an interrupted run stays false.
    var complete = false
    package var rounds: [SimulationRound] = []

    package init(
        dataset: String, annotator: String, fov: String, strategy: String, initial: Int, batch: Int, lab: String,
        settings: Settings, images: Int
    ) {
        self.dataset = dataset
        self.annotator = annotator
        self.fov = fov
        self.strategy = strategy
        self.initial = initial
        self.batch = batch
        self.lab = lab
        self.settings = settings
        self.images = images
    }
}

/// The loop's state once the daemon went idle after a round of corrections.
package struct SimulationRound: Codable {
    var round: Int
    /// Corrections made so far, this round's included.
    var corrections: Int
    var corrected: [CorrectedImage]
    /// The model in service at the end of the round, and its validation Dice.
    var model: String?
    var validationDice: Double?
    var trainings: [RoundTraining]
    var trainingMs: Int
    var predictions: Int
    var predictionMs: Int
    var seconds: Double
    var pending: [PendingScore]
    var meanF1: Double?
    var pooledF1: Double?
    /// Pixels to fix over vessel pixels, pooled over the images corrected this round.
    var effortShare: Double
    /// Centerline correction over drawing length, pooled over the images corrected this round,
    /// and their strokes. Optional here and below: simulate.json files written before these were
    /// measured still read.
    var centerlineEffort: Double?
    var strokes: Int?
    /// The same measures for every pending image's current prediction: what the next batch
    /// would cost, whichever images it holds. Pooled: summed lengths, summed pixels.
    var pendingCenterlineEffort: Double?
    var pendingPixelShare: Double?
    var pendingStrokes: Int?
    /// With a hint budget (`loupe simulate --hints`): per budget, what correcting the images
    /// corrected this round cost with clicks, and what every pending image would.
    var correctedHints: [PooledHints]?
    var pendingHints: [PooledHints]?
}

/// The expert's effort on one image: the pixels their starting point got wrong inside the
/// FOV, against the vessel pixels they would draw from scratch.
struct CorrectedImage: Codable {
    var id: String
    var image: String
    var basedOnModel: String?
    var pixelsToFix: Int
    var vesselPixels: Int
    var share: Double
    var centerline: CenterlineEffort?
    var hints: [HintedExpert.Outcome]?
}

struct PendingScore: Codable {
    var id: String
    var model: String?
    var f1: Double
    var sensitivity: Double
    var specificity: Double
    var accuracy: Double
    var truePositives: Int
    var falsePositives: Int
    var trueNegatives: Int
    var falseNegatives: Int
    var centerline: CenterlineEffort?
    var hints: [HintedExpert.Outcome]?
}

struct RoundTraining: Codable {
    var run: Int
    var model: String?
    var epochs: Int?
    var ms: Int?
    var validationDice: Double?
    /// promoted, rejected, failed, aborted or unfinished.
    var outcome: String
}
