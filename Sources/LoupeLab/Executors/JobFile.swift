import Foundation

/// Reads a file a job on a cluster node wrote or could have changed. The node is trusted no
/// more than a dropped file, and its files are read as dropped ones are (`FileReading`): a
/// symlink is not followed (a link to /dev/zero or to another lab's files is not read), only a
/// regular file is read, and none larger than `limit` bytes.
enum JobFile {
    /// job.json, result.json and a shard's manifest are kilobytes; more is not a result.
    static let jsonLimit = 16 << 20
    /// Images, masks and weights: the largest image the settings allow is 1e9 pixels.
    static let objectLimit = 4 << 30
    static let modelLimit = 2 << 30

    static func contents(_ path: String, limit: Int) throws -> [UInt8] {
        guard let identity = FileReading.identity(at: path) else { throw JobFileError.missing(path) }
        guard identity.size <= limit else { throw JobFileError.tooLarge(path, bytes: identity.size, limit: limit) }
        let bytes: [UInt8]
        do {
            bytes = try FileReading.read(path).bytes
        } catch let error as FileReadError {
            throw error.isPropertyOfFile ? JobFileError.notARegularFile(path) : JobFileError.unreadable(path, error.description)
        }
        guard bytes.count <= limit else { throw JobFileError.tooLarge(path, bytes: bytes.count, limit: limit) }
        return bytes
    }

    /// A truncated or garbled file is named, with what the decoder found wrong.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], file: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw TrainingJobError.unreadable(file, words(error))
        }
    }

    private static func words(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            let at = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (at.isEmpty ? "" : "at \(at): ") + context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }

    /// The last `maxBytes` of a file (a job's log can be any size), as text with the partial
    /// first line dropped; nil when there is no such regular file.
    static func tail(_ path: String, maxBytes: Int = 4096) -> String? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let start = max(0, Int(info.st_size) - maxBytes)
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) - start)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
        guard count >= 0 else { return nil }
        var text = String(decoding: bytes.prefix(count), as: UTF8.self)
        if start > 0, let newline = text.firstIndex(of: "\n") { text = String(text[text.index(after: newline)...]) }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

package enum JobFileError: Error, Equatable, CustomStringConvertible {
    case missing(String)
    case notARegularFile(String)
    case tooLarge(String, bytes: Int, limit: Int)
    case unreadable(String, String)

    package var description: String {
        switch self {
        case .missing(let path): "\(path) is missing"
        case .notARegularFile(let path): "\(path) is not a regular file (a link, a folder or a device is not read)"
        case .tooLarge(let path, let bytes, let limit): "\(path) holds \(bytes) bytes, more than the \(limit) a job's file may"
        case .unreadable(let path, let why): "\(path) cannot be read: \(why)"
        }
    }
}
