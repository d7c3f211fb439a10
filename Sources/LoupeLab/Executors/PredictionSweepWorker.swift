import Foundation
import LoupeLedger
import LoupeVision

/// What `loupe job predict` does on a node: predicts one shard of a sweep directory (the
/// array task's `SLURM_ARRAY_TASK_ID`) from the directory alone, writes each mask and
/// probability map into `out/` by SHA-256, and reports in `shard-K.json`, written last.
package enum PredictionSweepWorker {
    /// Any failure after the shard is known, a tampered object included, is written to the
    /// shard's report as its error; the returned report says which. Throws when the task id
    /// is missing or the report cannot be written.
    package static func run(directory: String, shard text: String?, cpusPerTask: String?) throws -> SweepShardResult {
        let started = ContinuousClock.now
        guard let text, let shard = Int(text.trimmingCharacters(in: .whitespaces)), shard >= 0 else {
            throw SweepError.badTaskID(text ?? "unset")
        }
        let sweep = PredictionSweepDirectory(path: directory)
        var result = SweepShardResult(formatVersion: PredictionSweepManifest.currentFormat, shard: shard, predictions: [], totalMilliseconds: 0)
        do {
            if let cpusPerTask { ComputeThreads.set(try TrainingJobWorker.threads(cpusPerTask)) }
            let manifest = try sweep.manifest()
            guard manifest.formatVersion == PredictionSweepManifest.currentFormat else {
                throw TrainingJobError.unknownFormat(manifest.formatVersion, supported: PredictionSweepManifest.currentFormat)
            }
            guard shard < manifest.shards else { throw SweepError.noSuchShard(shard, shards: manifest.shards) }
            let images = manifest.images(ofShard: shard)
            try JobDirectoryWriting.verify([manifest.model] + images, in: sweep.objects)
            let predictor = Predictor(weights: try ModelWeights(decoding: sweep.objects.read(manifest.model)))
            for image in images {
                let start = ContinuousClock.now
                let prediction = predictor.predict(image: try ImageCodec.decode(sweep.objects.read(image)))
                let mask = try sweep.out.put(ImageCodec.encodePNG(prediction.mask))
                let probability = try sweep.out.put(ImageCodec.encodePNG(prediction.probabilityImage))
                result.predictions.append(SweepShardResult.Predicted(
                    image: image, mask: mask, probability: probability, uncertainty: prediction.uncertainty,
                    vesselFraction: prediction.vesselFraction, ms: Int((ContinuousClock.now - start) / .milliseconds(1))
                ))
            }
        } catch {
            result.error = "\(error)"
        }
        result.totalMilliseconds = Int((ContinuousClock.now - started) / .milliseconds(1))
        try DurableFile.write(TrainingJobDirectory.encoded(result), to: sweep.shardPath(shard))
        return result
    }
}

/// Why a sweep's shard cannot be predicted or its report cannot count.
package enum SweepError: Error, Equatable, CustomStringConvertible {
    case badTaskID(String)
    case taskFailed(String)
    case noSuchShard(Int, shards: Int)
    case otherShard(file: Int, reports: Int)
    case foreignImage(String, shard: Int)
    case repeatedImage(String)
    case badOutput(String, String)
    case outOfRange(String, Double)

    package var description: String {
        switch self {
        case .badTaskID(let value): "SLURM_ARRAY_TASK_ID must be a shard number of at least 0, got '\(value)'"
        case .taskFailed(let error): "the task failed: \(error)"
        case .noSuchShard(let shard, let shards): "shard \(shard) does not exist: the sweep has \(shards)"
        case .otherShard(let file, let reports): "shard-\(file).json reports shard \(reports)"
        case .foreignImage(let image, let shard): "image \(image) is not one of shard \(shard)'s"
        case .repeatedImage(let image): "image \(image) is reported twice"
        case .badOutput(let sha, let why): "output \(sha): \(why)"
        case .outOfRange(let field, let value): "\(field) \(value) is not between 0 and 1"
        }
    }
}
