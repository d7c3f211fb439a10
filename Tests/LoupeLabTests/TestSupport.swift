import Foundation
import LoupeLab
import LoupeVision
import Synchronization

/// A fresh folder per test, removed when the test process exits: a workspace outlives the
/// last use of the value that made it, so no deinit may remove it.
struct TemporaryFolder {
    private static let created = Mutex<[String]>([])
    private static let cleanupRegistered: Void = {
        atexit {
            for path in TemporaryFolder.created.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
        }
    }()

    let path: String

    init() {
        _ = Self.cleanupRegistered
        path = NSTemporaryDirectory() + "loupe-lab-test-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        Self.created.withLock { $0.append(path) }
    }
}

/// A new workspace in a temporary folder, with `settings` as its loupe.json when given.
func makeLab(settings: String? = nil) throws -> (TemporaryFolder, Workspace) {
    let folder = TemporaryFolder()
    try Workspace.initialize(at: "\(folder.path)/lab")
    if let settings { try Data(settings.utf8).write(to: URL(fileURLWithPath: Workspace.settingsPath(lab: "\(folder.path)/lab"))) }
    return (folder, try Workspace(at: "\(folder.path)/lab"))
}

/// Settings under which an incomplete file is refused at once instead of waited for.
let noGrace = #"{"watch": {"incompleteGraceSeconds": 0}}"#

/// An RGB image with a dark vessel-like line, distinct per `seed`.
func fundus(width: Int = 24, height: Int = 16, seed: Int = 0) -> RasterImage {
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
        for x in 0..<width {
            let vessel = (x + seed) % 7 == 0
            let i = (y * width + x) * 3
            pixels[i] = 180
            pixels[i + 1] = vessel ? 40 : UInt8(120 + (x * 3 + y + seed) % 60)
            pixels[i + 2] = 60
        }
    }
    return RasterImage(width: width, height: height, channels: 3, pixels: pixels)
}

func mask(width: Int = 24, height: Int = 16, seed: Int = 0, value: UInt8 = 255) -> RasterImage {
    let pixels = (0..<width * height).map { ($0 % width + seed) % 7 == 0 ? value : 0 }
    return RasterImage(width: width, height: height, channels: 1, pixels: pixels)
}

@discardableResult
func drop(_ bytes: [UInt8], as name: String, into folder: String) throws -> String {
    let path = "\(folder)/\(name)"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

func contents(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}

/// Writes an executable shell script `name` into `folder`: a stand-in for a command on a search path.
func standIn(_ name: String, _ body: String, in folder: String) throws {
    let path = "\(folder)/\(name)"
    try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: path))
    chmod(path, 0o755)
}
