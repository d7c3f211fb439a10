import Foundation
import LoupeLab

/// Where a door's bytes wait while they are examined: `uploads/<kind>/<uuid>/<name>` in the
/// lab, on the file system of inbox/ and rejected/, so that taking or refusing them is a
/// rename, exactly as for a dropped file.
package struct UploadStaging: Sendable {
    package enum Kind: String, Sendable {
        case images, corrections
    }

    let root: String

    package init(lab: String) {
        root = "\(lab)/uploads"
    }

    /// A new, empty staging folder for one file of `kind`.
    func newFolder(kind: Kind) throws -> String {
        let folder = "\(root)/\(kind.rawValue)/\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Bytes already in hand (a mask decoded from Label Studio's RLE) staged the same way.
    func stage(_ bytes: [UInt8], kind: Kind, name: String) throws -> StagedFile {
        let folder = try newFolder(kind: kind)
        do {
            return StagedFile(path: try Self.write(bytes, into: folder, name: name), folder: folder)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    /// Writes `bytes` as `name` (checked) in a staging folder; returns the file's path. A failed
    /// write is a POSIX error, so a full disk reads as transient to every door.
    static func write(_ bytes: [UInt8], into folder: String, name: String) throws -> String {
        let path = "\(folder)/\(try checked(name))"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno), userInfo: [NSLocalizedDescriptionKey: "cannot stage \(path)"])
        }
        return path
    }

    /// A caller's file name, as the lab will record it: its last path component, printable.
    package static func checked(_ name: String) throws -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        guard !last.isEmpty, last != ".", last != "..", !last.hasPrefix(".") else {
            throw GatewayError.badName(name)
        }
        return SafeName.make(last)
    }

    /// Staged files a crash left behind go where the folder loop takes them: images to inbox/,
    /// corrections (named `IMAGE.ANNOTATOR.png` when staged) to corrections/.
    func recoverLeftovers(lab: String) -> [String] {
        var moved: [String] = []
        for kind in [Kind.images, .corrections] {
            let base = "\(root)/\(kind.rawValue)"
            for folder in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] {
                for file in (try? FileManager.default.contentsOfDirectory(atPath: "\(base)/\(folder)")) ?? [] {
                    let staged = StagedFile(path: "\(base)/\(folder)/\(file)", folder: "\(base)/\(folder)")
                    if let destination = handOver(staged, kind: kind, lab: lab) { moved.append(destination) }
                }
                rmdir("\(base)/\(folder)")
            }
        }
        return moved
    }

    /// Moves one staged file into the drop folder the daemon takes its kind from; returns where.
    func handOver(_ staged: StagedFile, kind: Kind, lab: String) -> String? {
        let target = kind == .images ? "\(lab)/inbox" : "\(lab)/corrections"
        var destination = "\(target)/\(staged.name)"
        if FileManager.default.fileExists(atPath: destination) {
            destination = "\(target)/\((staged.folder as NSString).lastPathComponent.prefix(8))-\(staged.name)"
        }
        return rename(staged.path, destination) == 0 ? destination : nil
    }
}

/// A door's file on disk, waiting to be examined. Once the lab took it (into objects/) or
/// refused it (into rejected/), its folder is empty and goes; a file still there stays for the
/// next start to hand over, unless the request was refused before the lab was asked.
package struct StagedFile: Sendable {
    package let path: String
    package let folder: String

    var name: String { (path as NSString).lastPathComponent }

    /// Removes the folder if the lab took or refused the file; never the file itself.
    func release() {
        rmdir(folder)
    }

    /// For a request refused before the lab saw the file: the caller still holds its bytes.
    package func discard() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
