/// Why a job directory cannot be trained from or its result cannot count.
package enum TrainingJobError: Error, Equatable, CustomStringConvertible {
    case directoryExists(String)
    case unknownFormat(Int, supported: Int)
    case configTampered(recorded: String, actual: String)
    case missingObject(String)
    case tamperedObject(String, actual: String)
    case badCPUsPerTask(String)
    case otherPlan(run: Int, differing: [String])
    case noResult(String)
    case unreadable(String, String)
    case emptyResult(String)
    case modelMismatch(reported: String, actual: String)
    case diceMismatch(reported: Double?, recomputed: Double?)

    package var description: String {
        switch self {
        case .directoryExists(let path):
            "\(path) already exists: a job directory is written once"
        case .unknownFormat(let format, let supported):
            "job.json has format version \(format); this loupe reads version \(supported)"
        case .configTampered(let recorded, let actual):
            "job.json's config hashes to \(actual), not to its configHash \(recorded)"
        case .missingObject(let sha):
            "objects/ lacks \(sha), which job.json names"
        case .tamperedObject(let sha, let actual):
            "object \(sha) hashes to \(actual), not to its name: the job directory was tampered with"
        case .badCPUsPerTask(let value):
            "SLURM_CPUS_PER_TASK must be a whole number of at least 1, got '\(value)'"
        case .otherPlan(let run, let differing):
            "the job directory is not run \(run)'s training: its \(differing.joined(separator: ", ")) differ"
        case .noResult(let path):
            "\(path) has no result.json: the job has not ended, or died before it could write one"
        case .unreadable(let file, let why):
            "\(file) is not what loupe writes (truncated or garbled?): \(why)"
        case .emptyResult(let path):
            "\(path)/result.json names neither a model nor an error"
        case .modelMismatch(let reported, let actual):
            "model.bin hashes to \(actual), but result.json reports \(reported)"
        case .diceMismatch(let reported, let recomputed):
            "result.json reports validation Dice \(reported.map { "\($0)" } ?? "none"), "
                + "but the returned weights score \(recomputed.map { "\($0)" } ?? "none") on the held-back corrections"
        }
    }
}
