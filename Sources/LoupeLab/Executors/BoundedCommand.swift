import Foundation

/// One run of a program that must answer within a deadline. Slurm's commands retry an
/// unreachable controller for a long time; a daemon that waits on them looks hung, so the
/// program is killed at the deadline and the caller says so.
struct BoundedCommand {
    let executable: String
    let arguments: [String]
    let timeoutSeconds: Double

    enum Outcome {
        case exited(status: Int32, output: String, errorOutput: String)
        case timedOut
    }

    /// Output goes to files rather than pipes: a killed program's children may keep a pipe
    /// open, and reading it to the end would wait for them after the deadline.
    func run() throws -> Outcome {
        let output = try ScratchFile()
        let errorOutput = try ScratchFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output.handle
        process.standardError = errorOutput.handle
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        guard exited.wait(timeout: .now() + timeoutSeconds) == .success else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return .timedOut
        }
        return .exited(status: process.terminationStatus, output: try output.contents(), errorOutput: try errorOutput.contents())
    }
}

/// A temporary file that is deleted when the value goes away.
private final class ScratchFile {
    let path = NSTemporaryDirectory() + "loupe-command-\(UUID().uuidString)"
    let handle: FileHandle

    init() throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    func contents() throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}
