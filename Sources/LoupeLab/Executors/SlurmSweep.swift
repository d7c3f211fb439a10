/// A prediction sweep handed to Slurm as a job array: one model, its images in shards, array
/// task K predicting shard K.
package struct SlurmSweep: Sendable, Equatable {
    package var slurmJob: String
    package var directory: String
    package var manifest: PredictionSweepManifest

    package var model: String { manifest.model }
}

/// An image a sweep predicts, with what the daemon needs to take its prediction back: where
/// its mask goes in predictions/, and the size the mask must have.
package struct SweepTarget: Sendable, Equatable {
    package var fileName: String
    package var width: Int
    package var height: Int
}

/// What one look at a sweep brought back.
package struct SweepCollection: Sendable, Equatable {
    /// Checked, stored in objects/ and written into predictions/: for the loop to record.
    package var predictions: [PredictionMade] = []
    /// Shards done with: taken, refused, or ended without a report.
    package var shards: [Int] = []
    /// Images of those shards without a prediction: the daemon predicts them itself.
    package var returned: [String] = []
    /// Why shards were refused or lost, a line each.
    package var problems: [String] = []
    /// No shard is left to wait for.
    package var finished = false
}
