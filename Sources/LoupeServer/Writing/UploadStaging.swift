import Foundation
import Hummingbird
import LoupeLab

/// Where an upload's bytes wait while they are examined: `uploads/<kind>/<uuid>/<name>` in the
/// lab, on the file system of inbox/ and rejected/, so that taking or refusing them is a
/// rename, exactly as for a dropped file. Bodies are streamed to disk, never held whole.
struct UploadStaging: Sendable {
    enum Kind: String, Sendable {
        case images, corrections
    }

    let root: String

    init(lab: String) {
        root = "\(lab)/uploads"
    }

    /// Writes `body` (raw bytes, or the first file of a multipart form) to a new staged file.
    /// Throws 413 past `limit` bytes and 400 for a form without a file; leaves nothing behind then.
    func receive(_ request: Request, kind: Kind, name: String?, limit: Int) async throws -> StagedFile {
        let contentType = request.headers[.contentType] ?? ""
        let folder = "\(root)/\(kind.rawValue)/\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            let writer: BodyWriter
            if contentType.lowercased().hasPrefix("multipart/form-data") {
                guard let boundary = MultipartUpload.boundary(of: contentType) else {
                    throw APIError.badRequest("multipart/form-data without a boundary")
                }
                writer = MultipartUpload(boundary: boundary, folder: folder, name: name, limit: limit)
            } else {
                guard let name else { throw APIError.badRequest("name the upload: ?name=FILE.png") }
                writer = try RawUpload(path: "\(folder)/\(try Self.checked(name))", limit: limit)
            }
            var chunks = request.body.makeAsyncIterator()
            while true {
                let next: ByteBuffer?
                do { next = try await chunks.next() } catch { throw APIError.cutShort(error) }
                guard let buffer = next else { break }
                try writer.write(buffer)
            }
            return StagedFile(path: try writer.finish(), folder: folder)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    /// A new staging folder for a file named `name` that the caller writes itself (a download).
    func prepare(kind: Kind, name: String) throws -> StagedFile {
        let folder = "\(root)/\(kind.rawValue)/\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return StagedFile(path: "\(folder)/\(try Self.checked(name))", folder: folder)
    }

    /// Bytes already in hand (a mask decoded from Label Studio's RLE) staged like an upload.
    func stage(_ bytes: [UInt8], kind: Kind, name: String) throws -> StagedFile {
        let staged = try prepare(kind: kind, name: name)
        guard FileManager.default.createFile(atPath: staged.path, contents: Data(bytes)) else {
            staged.discard()
            throw APIError(.serviceUnavailable, "unavailable", "cannot stage \(staged.path): \(String(cString: strerror(errno)))")
        }
        return staged
    }

    /// A caller's file name, as the lab will record it: its last path component, printable.
    static func checked(_ name: String) throws -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        guard !last.isEmpty, last != ".", last != "..", !last.hasPrefix(".") else {
            throw APIError.badRequest("'\(Query.shown(name))' is not a usable file name")
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
}

extension UploadStaging {
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

/// An upload on disk, waiting to be examined. Once the lab took it (into objects/) or refused
/// it (into rejected/), its folder is empty and goes; a file still there stays for the next
/// start to hand over, unless the request was refused before the lab was asked.
struct StagedFile: Sendable {
    let path: String
    let folder: String

    var name: String { (path as NSString).lastPathComponent }

    /// Removes the folder if the lab took or refused the file; never the file itself.
    func release() {
        rmdir(folder)
    }

    /// For a request refused before the lab saw the file: the caller still holds its bytes.
    func discard() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
