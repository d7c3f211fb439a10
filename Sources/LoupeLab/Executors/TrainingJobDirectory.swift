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
        try JSONDecoder().decode(TrainingJobManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
    }

    /// Every object the job names is present and hashes to its name.
    func verifyObjects(of manifest: TrainingJobManifest) throws {
        for sha in manifest.objects {
            guard objects.contains(sha) else { throw TrainingJobError.missingObject(sha) }
            let actual = ObjectStore.sha256(try objects.read(sha))
            guard actual == sha else { throw TrainingJobError.tamperedObject(sha, actual: actual) }
        }
    }

    func result() throws -> TrainingJobResult {
        guard let data = FileManager.default.contents(atPath: resultPath) else { throw TrainingJobError.noResult(path) }
        return try JSONDecoder().decode(TrainingJobResult.self, from: data)
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
