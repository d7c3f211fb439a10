import Foundation

/// Slurm's commands as the lab runs them: looked up on a search path (the daemon's `PATH`;
/// tests put stand-ins first), each run bounded in time, since a controller that does not
/// answer makes them retry for minutes. Runs programs and waits for them: never on the loop thread.
package struct SlurmCommands: Sendable {
    package let searchPath: String
    let timeoutSeconds: Double

    package init(searchPath: String = ProcessInfo.processInfo.environment["PATH"] ?? "", timeoutSeconds: Double = 30) {
        self.searchPath = searchPath
        self.timeoutSeconds = timeoutSeconds
    }

    /// The first executable file named `command` in `searchPath`'s folders.
    static func locate(_ command: String, in searchPath: String) -> String? {
        searchPath.split(separator: ":").map { "\($0)/\(command)" }.first { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.isExecutableFile(atPath: path)
                && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    struct Answer {
        var status: Int32
        var output: String
        var errorOutput: String
    }

    func run(_ command: String, _ arguments: [String]) throws -> Answer {
        guard let path = Self.locate(command, in: searchPath) else { throw SlurmError.commandMissing(command, searchPath: searchPath) }
        switch try BoundedCommand(executable: path, arguments: arguments, timeoutSeconds: timeoutSeconds).run() {
        case .timedOut:
            throw SlurmError.timedOut(command, seconds: timeoutSeconds)
        case .exited(let status, let output, let errorOutput):
            return Answer(status: status, output: output, errorOutput: errorOutput)
        }
    }

    /// `sbatch --parsable ARGUMENTS`; the new job's id.
    func submit(_ arguments: [String]) throws -> String {
        let answer = try run("sbatch", ["--parsable"] + arguments)
        guard answer.status == 0 else { throw SlurmError.failed("sbatch", status: answer.status, said: Self.lastLines(answer.errorOutput)) }
        // --parsable prints "ID" or "ID;CLUSTER".
        let id = answer.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        guard Self.isJobID(id) else { throw SlurmError.unexpectedAnswer("sbatch", Self.lastLines(answer.output)) }
        return id
    }

    /// The job's state; nil once the cluster no longer knows it (squeue forgets a job minutes
    /// after its end, and sacct knows it only where accounting is kept).
    func state(of job: String) throws -> SlurmJobState? {
        let answer = try run("squeue", ["--noheader", "--jobs=\(job)", "--states=all", "--format=%T"])
        if answer.status == 0, let state = SlurmJobState(slurm: answer.output) { return state }
        if answer.status != 0 && !answer.errorOutput.contains("Invalid job id") {
            throw SlurmError.failed("squeue", status: answer.status, said: Self.lastLines(answer.errorOutput))
        }
        guard Self.locate("sacct", in: searchPath) != nil else { return nil }
        let accounted = try run("sacct", ["--noheader", "--parsable2", "--allocations", "--jobs=\(job)", "--format=State"])
        guard accounted.status == 0 else { return nil }
        return SlurmJobState(slurm: accounted.output)
    }

    /// The id of this user's queued or running job named `name`, if there is one.
    func job(named name: String) throws -> String? {
        let answer = try run("squeue", ["--noheader", "--name=\(name)", "--format=%i"])
        guard answer.status == 0 else { throw SlurmError.failed("squeue", status: answer.status, said: Self.lastLines(answer.errorOutput)) }
        return answer.output.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.first(where: Self.isJobID)
    }

    func cancel(_ job: String) throws {
        let answer = try run("scancel", [job])
        guard answer.status == 0 else { throw SlurmError.failed("scancel", status: answer.status, said: Self.lastLines(answer.errorOutput)) }
    }

    static func isJobID(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 20 && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber)
    }

    /// What a command said, short enough for a log line: its last three lines.
    static func lastLines(_ text: String) -> String {
        String(text.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " / ").prefix(500))
    }
}

package enum SlurmError: Error, Equatable, CustomStringConvertible {
    case commandMissing(String, searchPath: String)
    case timedOut(String, seconds: Double)
    case failed(String, status: Int32, said: String)
    case unexpectedAnswer(String, String)

    package var description: String {
        switch self {
        case .commandMissing(let command, let searchPath):
            "\(command) is not on PATH (\(searchPath)); install Slurm's commands (Debian: slurm-client)"
        case .timedOut(let command, let seconds):
            "\(command) did not answer within \(seconds) s: is the Slurm controller reachable?"
        case .failed(let command, let status, let said):
            "\(command) exited with status \(status)\(said.isEmpty ? "" : ": \(said)")"
        case .unexpectedAnswer(let command, let answer):
            "\(command) answered '\(answer)', not a job id"
        }
    }
}

extension SlurmCommands {
    /// Whether any task of job array `job` is still queued or running.
    func isActive(_ job: String) throws -> Bool {
        let answer = try run("squeue", ["--noheader", "--jobs=\(job)", "--states=all", "--array", "--format=%T"])
        if answer.status != 0 {
            guard answer.errorOutput.contains("Invalid job id") else {
                throw SlurmError.failed("squeue", status: answer.status, said: Self.lastLines(answer.errorOutput))
            }
            return false
        }
        return answer.output.split(whereSeparator: \.isNewline).contains { line in
            switch SlurmJobState(slurm: String(line)) {
            case .queued, .running: true
            default: false
            }
        }
    }
}
