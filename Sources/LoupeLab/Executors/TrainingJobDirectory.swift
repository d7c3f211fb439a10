import Foundation
import LoupeLedger

/// One training job on disk, shared between the daemon and a node:
///
/// ```
/// run-7/
///   job.json      TrainingJobManifest, written by the daemon
///   objects/      the images, masks and warm-start weights it names, as the lab stores them
///   model.bin     the trained weights, written by the node
///   result.json   TrainingJobResult, written by the node last
/// ```
struct TrainingJobDirectory {
    let path: String

    var manifestPath: String { "\(path)/job.json" }
    var modelPath: String { "\(path)/model.bin" }
    var resultPath: String { "\(path)/result.json" }
    /// Laid out like the lab's store, so training code reads a job as it reads a lab.
    var objects: ObjectStore { ObjectStore(root: "\(path)/objects") }

    func manifest() throws -> TrainingJobManifest {
        try JobFile.decode(TrainingJobManifest.self, from: JobFile.contents(manifestPath, limit: JobFile.jsonLimit), file: "job.json")
    }

    /// Every object the job names is present and hashes to its name.
    func verifyObjects(of manifest: TrainingJobManifest) throws {
        try JobDirectoryWriting.verify(manifest.objects, in: objects)
    }

    func result() throws -> TrainingJobResult {
        let bytes: [UInt8]
        do {
            bytes = try JobFile.contents(resultPath, limit: JobFile.jsonLimit)
        } catch JobFileError.missing {
            throw TrainingJobError.noResult(path)
        }
        return try JobFile.decode(TrainingJobResult.self, from: bytes, file: "result.json")
    }

    func write(_ result: TrainingJobResult) throws {
        try DurableFile.write(Self.encoded(result), to: resultPath)
    }

    static func encoded(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}

extension TrainingJobDirectory {
    /// Where Slurm writes the job's output (`sbatch --output=DIR/slurm-%j.out`).
    func logPath(slurmJob: String) -> String { "\(path)/slurm-\(slurmJob).out" }

    /// The Slurm jobs that started on this directory, from their logs' names, oldest first.
    func jobsThatRan() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.compactMap { name -> String? in
            guard name.hasPrefix("slurm-"), name.hasSuffix(".out") else { return nil }
            let id = String(name.dropFirst("slurm-".count).dropLast(".out".count))
            return SlurmCommands.isJobID(id) ? id : nil
        }.sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }
    }
}
