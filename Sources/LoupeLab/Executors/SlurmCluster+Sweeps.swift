import Foundation
import LoupeLedger
import LoupeVision

extension SlurmCluster {
    func sweepDirectory(model: String) -> String { "\(settings.jobDirectory)/loupe-\(labKey)/sweep-\(model.prefix(12))" }
    func sweepName(model: String) -> String { "loupe-\(labKey)-sweep-\(model.prefix(12))" }

    /// Whether a daemon submitted a sweep of `model` (its directory records the array's id).
    package func sweepSubmitted(model: String) -> Bool {
        FileManager.default.fileExists(atPath: PredictionSweepDirectory(path: sweepDirectory(model: model)).submissionPath)
    }

    /// Submits the prediction of `images` by `model` as a job array, one task per shard. The
    /// sweep directory of the same model that a daemon before this one submitted is adopted
    /// instead, with its own images: by the array's id it recorded, or, when it died before
    /// recording it, by the array's name in Slurm's queue. One never submitted, or unreadable,
    /// is moved aside.
    package func submitSweep(model: String, images: [String]) throws -> SlurmSweep {
        let directory = sweepDirectory(model: model)
        let sweep = PredictionSweepDirectory(path: directory)
        if FileManager.default.fileExists(atPath: directory), let manifest = try? sweep.manifest(), manifest.model == model {
            if let submission = sweep.submission() {
                return SlurmSweep(slurmJob: submission.slurmJob, directory: directory, manifest: manifest)
            }
            if let job = try commands.job(named: sweepName(model: model)) {
                try record(job, in: sweep)
                return SlurmSweep(slurmJob: job, directory: directory, manifest: manifest)
            }
        }
        if FileManager.default.fileExists(atPath: directory) {
            let aside = "\(directory).replaced-\(Int(Date().timeIntervalSince1970))"
            guard rename(directory, aside) == 0 else { throw DurableFile.posixError("rename \(directory) to \(aside)") }
        }
        try FileManager.default.createDirectory(atPath: (directory as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let manifest = PredictionSweepManifest(model: model, images: images)
        try PredictionSweepDirectory.write(manifest, from: objects, into: directory)
        let job = try commands.submit(sweepArguments(model: model, shards: manifest.shards))
        try record(job, in: sweep)
        return SlurmSweep(slurmJob: job, directory: directory, manifest: manifest)
    }

    private func record(_ job: String, in sweep: PredictionSweepDirectory) throws {
        try DurableFile.write(TrainingJobDirectory.encoded(PredictionSweepDirectory.Submission(slurmJob: job)), to: sweep.submissionPath)
    }

    /// Cancels the arrays of sweeps that a daemon before this one left running for a model
    /// other than `serving`: no daemon reads their results. Each such sweep is marked ended, so
    /// it is asked about once. Returns the arrays cancelled.
    package func cancelStaleSweeps(serving: String?) throws -> [String] {
        let lab = "\(settings.jobDirectory)/loupe-\(labKey)"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: lab)) ?? []
        var cancelled: [String] = []
        for name in names.sorted() where name.hasPrefix("sweep-") && !name.contains(".") {
            let sweep = PredictionSweepDirectory(path: "\(lab)/\(name)")
            guard let submission = sweep.submission(), !FileManager.default.fileExists(atPath: sweep.endedPath),
                  let manifest = try? sweep.manifest(), manifest.model != serving
            else { continue }
            if try commands.isActive(submission.slurmJob) {
                try commands.cancel(submission.slurmJob)
                cancelled.append(submission.slurmJob)
            }
            try DurableFile.write([], to: sweep.endedPath)
        }
        return cancelled
    }

    func sweepArguments(model: String, shards: Int) -> [String] {
        let directory = sweepDirectory(model: model)
        return sbatchArguments(
            name: sweepName(model: model), output: "\(directory)/slurm-%A_%a.out", extra: ["--array=0-\(shards - 1)"],
            command: "job predict \(Self.quoted(directory))"
        )
    }

    package func cancel(_ sweep: SlurmSweep) throws {
        try commands.cancel(sweep.slurmJob)
    }

    /// Takes back the shards whose tasks reported since the last look (`done`): each checked
    /// (`take`), its masks stored and written into predictions/. A shard whose report fails a
    /// check, or whose task ended without one, returns its images to the daemon, with the reason.
    package func collect(_ sweep: SlurmSweep, targets: [String: SweepTarget], done: Set<Int>) throws -> SweepCollection {
        let directory = PredictionSweepDirectory(path: sweep.directory)
        var collection = SweepCollection()
        var waiting: [Int] = []
        func giveBack(_ shard: Int, _ why: String) {
            collection.shards.append(shard)
            collection.returned += sweep.manifest.images(ofShard: shard)
            collection.problems.append("shard \(shard) of Slurm job \(sweep.slurmJob) \(why); its images are predicted here")
        }
        for shard in 0..<sweep.manifest.shards where !done.contains(shard) {
            do {
                guard let report = try directory.result(ofShard: shard) else {
                    waiting.append(shard)
                    continue
                }
                if let error = report.error { throw SweepError.taskFailed(error) }
                let (made, missing) = try take(report, shard: shard, of: sweep, targets: targets)
                collection.predictions += made
                collection.returned += missing
                collection.shards.append(shard)
            } catch {
                giveBack(shard, "was refused: \(error)")
            }
        }
        if !waiting.isEmpty, try !commands.isActive(sweep.slurmJob) {
            // A task that reported between the look at its file and squeue's answer is taken next time.
            for shard in waiting where !FileManager.default.fileExists(atPath: directory.shardPath(shard)) {
                let log = JobFile.tail(directory.logPath(slurmJob: sweep.slurmJob, shard: shard), maxBytes: 300) ?? ""
                giveBack(shard, "ended without a report\(log.isEmpty ? "" : " (its log ends: \(log))")")
                waiting.removeAll { $0 == shard }
            }
        }
        collection.finished = waiting.isEmpty
        return collection
    }

    /// A shard's predictions, once every one passed: its own images only and each once,
    /// scores between 0 and 1, masks and probability maps that hash to their names and are
    /// grey images of the image's size. Images it does not report come back as `missing`.
    func take(_ report: SweepShardResult, shard: Int, of sweep: SlurmSweep, targets: [String: SweepTarget]) throws
        -> (made: [PredictionMade], missing: [String]) {
        guard report.shard == shard else { throw SweepError.otherShard(file: shard, reports: report.shard) }
        let expected = Set(sweep.manifest.images(ofShard: shard))
        let out = PredictionSweepDirectory(path: sweep.directory).out
        var seen: Set<String> = []
        var checked: [(SweepShardResult.Predicted, mask: [UInt8], probability: [UInt8])] = []
        for predicted in report.predictions {
            guard expected.contains(predicted.image) else { throw SweepError.foreignImage(predicted.image, shard: shard) }
            guard seen.insert(predicted.image).inserted else { throw SweepError.repeatedImage(predicted.image) }
            for (field, value) in [("uncertainty", predicted.uncertainty), ("vesselFraction", predicted.vesselFraction)]
            where !(0...1).contains(value) {
                throw SweepError.outOfRange(field, value)
            }
            // An image corrected or predicted since the sweep began has no target: nothing to take.
            guard let target = targets[predicted.image] else { continue }
            checked.append((predicted, try output(predicted.mask, in: out, size: target), try output(predicted.probability, in: out, size: target)))
        }
        var made: [PredictionMade] = []
        for (predicted, mask, probability) in checked {
            let target = targets[predicted.image]!
            try objects.put(mask, sha: predicted.mask)
            try objects.put(probability, sha: predicted.probability)
            try DurableFile.write(mask, to: "\(predictionsFolder)/\(target.fileName).png")
            if writeProbabilityMaps { try DurableFile.write(probability, to: "\(predictionsFolder)/\(target.fileName).prob.png") }
            made.append(PredictionMade(
                image: predicted.image, model: sweep.model, mask: predicted.mask, uncertainty: predicted.uncertainty,
                vesselFraction: predicted.vesselFraction, ms: predicted.ms, probability: predicted.probability,
                slurmJob: "\(sweep.slurmJob)_\(shard)"
            ))
        }
        return (made, expected.subtracting(seen).sorted())
    }

    private func output(_ sha: String, in out: ObjectStore, size: SweepTarget) throws -> [UInt8] {
        guard sha.utf8.count == 64, sha.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw SweepError.badOutput(sha, "not a SHA-256")
        }
        let bytes = try JobFile.contents(out.path(of: sha), limit: JobFile.objectLimit)
        let actual = ObjectStore.sha256(bytes)
        guard actual == sha else { throw SweepError.badOutput(sha, "hashes to \(actual)") }
        let image = try ImageCodec.decode(bytes)
        guard image.channels == 1, image.width == size.width, image.height == size.height else {
            throw SweepError.badOutput(sha, "a \(image.width)x\(image.height)x\(image.channels) image, not \(size.width)x\(size.height)x1")
        }
        return bytes
    }
}
