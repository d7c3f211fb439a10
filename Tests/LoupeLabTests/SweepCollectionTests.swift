import Foundation
import LoupeLedger
import LoupeVision
import Testing
@testable import LoupeLab

/// What the daemon takes back from a sweep's tasks, and what it refuses: a task's report is a
/// node's word, checked before a single prediction counts.
@Suite struct SweepCollectionTests {
    private let folder = TemporaryFolder()
    private let images = (0..<30).map { String(repeating: String(format: "%02x", $0), count: 32) }
    private var sweep: SlurmSweep {
        SlurmSweep(slurmJob: "40", directory: "\(folder.path)/sweep", manifest: PredictionSweepManifest(model: String(repeating: "e", count: 64), images: images))
    }
    private var cluster: SlurmCluster {
        SlurmCluster(
            settings: SlurmExecutorSettings(binary: "/bin/true", jobDirectory: folder.path),
            commands: SlurmCommands(searchPath: "\(folder.path)/bin", timeoutSeconds: 5),
            objects: ObjectStore(root: "\(folder.path)/objects"), labKey: "abc",
            predictionsFolder: "\(folder.path)/predictions", writeProbabilityMaps: true
        )
    }
    private var out: ObjectStore { ObjectStore(root: "\(folder.path)/sweep/out") }
    private var targets: [String: SweepTarget] {
        Dictionary(uniqueKeysWithValues: images.enumerated().map { ($1, SweepTarget(fileName: "im\($0)", width: 8, height: 6)) })
    }

    init() throws {
        for path in ["sweep/out", "predictions", "objects", "bin"] {
            try FileManager.default.createDirectory(atPath: "\(folder.path)/\(path)", withIntermediateDirectories: true)
        }
        // squeue as on a cluster that forgot the array: every task ended.
        try standIn("squeue", "echo 'slurm_load_jobs error: Invalid job id specified' >&2; exit 1", in: "\(folder.path)/bin")
    }

    private func grey(width: Int = 8, height: Int = 6, value: UInt8 = 255) throws -> String {
        try out.put(ImageCodec.encodePNG(RasterImage(width: width, height: height, channels: 1, pixels: [UInt8](repeating: value, count: width * height))))
    }

    private func predicted(_ image: String, mask: String? = nil, uncertainty: Double = 0.1) throws -> SweepShardResult.Predicted {
        let mask = try mask ?? grey()
        return SweepShardResult.Predicted(image: image, mask: mask, probability: try grey(value: 128), uncertainty: uncertainty, vesselFraction: 0.2, ms: 5)
    }

    private func report(_ shard: Int, _ predictions: [SweepShardResult.Predicted], error: String? = nil) -> SweepShardResult {
        SweepShardResult(formatVersion: 1, shard: shard, predictions: predictions, error: error, totalMilliseconds: 9)
    }

    private func write(_ report: SweepShardResult, as shard: Int) throws {
        try Data(TrainingJobDirectory.encoded(report)).write(to: URL(fileURLWithPath: "\(folder.path)/sweep/shard-\(shard).json"))
    }

    @Test func aShardThatPassesIsStoredWrittenAndNamedByItsArrayTask() throws {
        #expect(sweep.manifest.shards == 2)
        #expect(sweep.manifest.images(ofShard: 1) == images[25...])
        let (made, missing) = try cluster.take(report(1, try images[25...28].map { try predicted($0) }), shard: 1, of: sweep, targets: targets)
        #expect(made.map(\.image) == Array(images[25...28]))
        #expect(Set(made.compactMap(\.slurmJob)) == ["40_1"])
        #expect(made.allSatisfy { $0.model == sweep.model && $0.uncertainty == 0.1 })
        #expect(missing == [images[29]], "an image the task did not report goes back")
        #expect(FileManager.default.fileExists(atPath: "\(folder.path)/predictions/im25.png"))
        #expect(FileManager.default.fileExists(atPath: "\(folder.path)/predictions/im25.prob.png"))
        #expect(ObjectStore(root: "\(folder.path)/objects").contains(made[0].mask))
    }

    @Test func aShardThatClaimsWhatItWasNotGivenIsRefusedWhole() throws {
        let mine = try predicted(images[0])
        #expect(throws: SweepError.foreignImage(images[26], shard: 0)) {
            try cluster.take(report(0, [mine, try predicted(images[26])]), shard: 0, of: sweep, targets: targets)
        }
        #expect(throws: SweepError.repeatedImage(images[0])) { try cluster.take(report(0, [mine, mine]), shard: 0, of: sweep, targets: targets) }
        #expect(throws: SweepError.outOfRange("uncertainty", 1.5)) {
            try cluster.take(report(0, [try predicted(images[0], uncertainty: 1.5)]), shard: 0, of: sweep, targets: targets)
        }
        #expect(throws: SweepError.otherShard(file: 1, reports: 0)) { try cluster.take(report(0, [mine]), shard: 1, of: sweep, targets: targets) }
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/predictions/im0.png"), "nothing of a refused shard is written")
    }

    @Test func masksThatAreNotWhatTheyClaimAreRefused() throws {
        let wrongSize = try grey(width: 7)
        #expect(throws: SweepError.badOutput(wrongSize, "a 7x6x1 image, not 8x6x1")) {
            try cluster.take(report(0, [try predicted(images[0], mask: wrongSize)]), shard: 0, of: sweep, targets: targets)
        }
        let forged = try grey()
        let bytes = try out.read(forged)
        let other = String(repeating: "a", count: 64)
        try FileManager.default.createDirectory(atPath: "\(folder.path)/sweep/out/aa", withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: out.path(of: other)))
        #expect(throws: SweepError.badOutput(other, "hashes to \(forged)")) {
            try cluster.take(report(0, [try predicted(images[0], mask: other)]), shard: 0, of: sweep, targets: targets)
        }
        #expect(throws: SweepError.badOutput("../../../etc/passwd", "not a SHA-256")) {
            try cluster.take(report(0, [try predicted(images[0], mask: "../../../etc/passwd")]), shard: 0, of: sweep, targets: targets)
        }
    }

    @Test func failedGarbledAndLostShardsGiveTheirImagesBack() throws {
        try write(report(0, [], error: "out of memory"), as: 0)
        try Data("{\"formatVersion\": 1, \"sha".utf8).write(to: URL(fileURLWithPath: "\(folder.path)/sweep/shard-1.json"))
        let both = try cluster.collect(sweep, targets: targets, done: [])
        #expect(both.finished)
        #expect(both.predictions.isEmpty)
        #expect(both.shards == [0, 1])
        #expect(Set(both.returned) == Set(images))
        #expect(both.problems.count == 2)
        #expect(both.problems[0].hasPrefix("shard 0 of Slurm job 40 was refused: the task failed: out of memory"), "\(both.problems)")
        #expect(both.problems[1].contains("shard-1.json is not what loupe writes"), "\(both.problems)")

        try FileManager.default.removeItem(atPath: "\(folder.path)/sweep/shard-1.json")
        let lost = try cluster.collect(sweep, targets: targets, done: [0])
        #expect(lost.finished)
        #expect(lost.returned == Array(images[25...]))
        #expect(lost.problems == ["shard 1 of Slurm job 40 ended without a report; its images are predicted here"])
    }
}
