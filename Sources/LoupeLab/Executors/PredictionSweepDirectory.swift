import Foundation
import LoupeLedger

/// One prediction sweep on disk, shared between the daemon and the nodes:
///
/// ```
/// sweep-MODEL/
///   sweep.json        PredictionSweepManifest, written by the daemon
///   objects/          the model's weights and the images, as the lab stores them
///   submission.json   the array's Slurm job id, written by the daemon once sbatch took it
///   ended             written by a daemon that cancelled the sweep of a model no longer serving
///   out/              masks and probability maps by SHA-256, written by the tasks
///   shard-K.json      SweepShardResult of array task K, written last by it
///   slurm-A_K.out     task K's output
/// ```
struct PredictionSweepDirectory {
    let path: String

    var manifestPath: String { "\(path)/sweep.json" }
    var submissionPath: String { "\(path)/submission.json" }
    var endedPath: String { "\(path)/ended" }
    var objects: ObjectStore { ObjectStore(root: "\(path)/objects") }
    var out: ObjectStore { ObjectStore(root: "\(path)/out") }
    func shardPath(_ shard: Int) -> String { "\(path)/shard-\(shard).json" }
    func logPath(slurmJob: String, shard: Int) -> String { "\(path)/slurm-\(slurmJob)_\(shard).out" }

    struct Submission: Codable, Equatable {
        var slurmJob: String
    }

    func manifest() throws -> PredictionSweepManifest {
        try JobFile.decode(PredictionSweepManifest.self, from: JobFile.contents(manifestPath, limit: JobFile.jsonLimit), file: "sweep.json")
    }

    func submission() -> Submission? {
        guard let bytes = try? JobFile.contents(submissionPath, limit: JobFile.jsonLimit) else { return nil }
        return try? JobFile.decode(Submission.self, from: bytes, file: "submission.json")
    }

    /// Nil until task `shard` wrote its report.
    func result(ofShard shard: Int) throws -> SweepShardResult? {
        let bytes: [UInt8]
        do {
            bytes = try JobFile.contents(shardPath(shard), limit: JobFile.jsonLimit)
        } catch JobFileError.missing {
            return nil
        }
        return try JobFile.decode(SweepShardResult.self, from: bytes, file: "shard-\(shard).json")
    }

    static func write(_ manifest: PredictionSweepManifest, from objects: ObjectStore, into directory: String) throws {
        try JobDirectoryWriting.write(directory) { temporary in
            let sweep = PredictionSweepDirectory(path: temporary)
            try JobDirectoryWriting.place(manifest.objects, from: objects, into: sweep.objects)
            try FileManager.default.createDirectory(atPath: "\(temporary)/out", withIntermediateDirectories: true)
            try DurableFile.write(TrainingJobDirectory.encoded(manifest), to: sweep.manifestPath)
        }
    }
}
