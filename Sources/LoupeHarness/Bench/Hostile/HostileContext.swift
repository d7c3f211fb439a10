import Foundation
import LoupeLab
import LoupeVision

/// What a hostile case works with: the lab, its running daemon, and ways to drop files as
/// careless or hostile writers do.
final class HostileContext {
    let lab: String
    let daemon: DaemonProcess
    let scratch: String
    private var counter = 0

    init(lab: String, daemon: DaemonProcess, scratch: String) {
        self.lab = lab
        self.daemon = daemon
        self.scratch = scratch
    }

    /// A distinct small fundus-like PNG; `seed` picks the picture.
    static func image(seed: Int, size: Int = 48) throws -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: size * size * 3)
        for i in 0..<size * size {
            let (x, y) = (i % size, i / size)
            let vessel = (x + seed * 5) % 9 < 2 || (y + seed) % 11 == 0
            pixels[i * 3] = 190
            pixels[i * 3 + 1] = vessel ? 50 : UInt8(130 + (x ^ y ^ seed) % 60)
            pixels[i * 3 + 2] = UInt8(truncatingIfNeeded: seed)
        }
        return try ImageCodec.encodePNG(RasterImage(width: size, height: size, channels: 3, pixels: pixels))
    }

    static func mask(seed: Int, size: Int = 48) throws -> [UInt8] {
        // Distinct for every seed: a line whose slope and offset follow the seed.
        let pixels = (0..<size * size).map { i -> UInt8 in
            let (x, y) = (i % size, i / size)
            return (x * (seed % 5 + 1) + y + seed) % 9 == 0 ? 255 : 0
        }
        return try ImageCodec.encodePNG(RasterImage(width: size, height: size, channels: 1, pixels: pixels))
    }

    /// Written in scratch/ and renamed in, as a careful pipeline does; `aged` backdates it so the
    /// daemon takes it at once instead of waiting for it to settle.
    @discardableResult
    func drop(_ bytes: [UInt8], as name: String, into folder: String, aged: Bool = false) throws -> DroppedFile {
        counter += 1
        let staged = "\(scratch)/\(counter)"
        try Data(bytes).write(to: URL(fileURLWithPath: staged))
        if aged { try backdate(staged) }
        guard rename(staged, "\(lab)/\(folder)/\(name)") == 0 else { throw HarnessError("cannot drop \(name): \(String(cString: strerror(errno)))") }
        return DroppedFile(folder: folder, name: name, sha: DropAccount.sha256(bytes))
    }

    func backdate(_ path: String) throws {
        let old = Date().addingTimeInterval(-5)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
    }

    /// Runs the loupe binary (this process's own executable) to its end; returns its status and
    /// everything it printed.
    func loupe(_ arguments: [String], in directory: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    func events(after seq: Int) throws -> [EventRow] {
        try daemon.workspace().events(after: seq)
    }

    /// Waits until no dropped file is left in its folder (or `limit` passes). Its bytes reach
    /// objects/ before its event, so only its leaving the folder says the daemon is done with it.
    func waitUntilTaken(_ files: [DroppedFile], limit: TimeInterval = 60) throws {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            var info = stat()
            if !files.contains(where: { lstat("\(lab)/\($0.folder)/\($0.name)", &info) == 0 }) { return }
            try daemon.checkAlive()
            usleep(100_000)
        }
    }
}
