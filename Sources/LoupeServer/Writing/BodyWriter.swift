import Foundation
import Hummingbird
import LoupeDaemon
import MultipartKit

/// Streams a request body into a staged file.
protocol BodyWriter: AnyObject {
    func write(_ buffer: ByteBuffer) throws
    /// The path of the complete file.
    func finish() throws -> String
}

/// A raw body: the bytes are the file.
final class RawUpload: BodyWriter {
    private let path: String
    private let handle: FileHandle
    private let limit: Int
    private var written = 0

    init(path: String, limit: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw APIError(.internalServerError, "internal", "cannot create \(path)")
        }
        self.path = path
        self.limit = limit
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    func write(_ buffer: ByteBuffer) throws {
        written += buffer.readableBytes
        guard written <= limit else { throw APIError.tooLarge(limit: limit) }
        try handle.write(contentsOf: buffer.readableBytesView)
    }

    func finish() throws -> String {
        try handle.close()
        return path
    }
}

/// A multipart/form-data body: the first part that carries a file name (or is named `file`)
/// becomes the file; other fields are ignored.
///
/// Headers are counted as they are fed to the parser, before it assembles them: a part whose
/// headers run past `maxHeaderBytes`, or a form of more than `maxParts` parts, is refused at
/// once instead of being parsed in time that grows with the square of its length.
final class MultipartUpload: BodyWriter {
    static let maxHeaderBytes = 16 << 10
    static let maxParts = 64
    private let parser: MultipartParser
    private let folder: String
    private let limit: Int
    private let fallbackName: String?
    private var headers: [String: String] = [:]
    private var file: RawUpload?
    private var filePath: String?
    private var done = false
    private var failure: (any Error)?
    private var inHeaders = true
    private var headerBytes = 0
    private var parts = 0

    init(boundary: String, folder: String, name: String?, limit: Int) {
        parser = MultipartParser(boundary: boundary)
        self.folder = folder
        self.limit = limit
        fallbackName = name
        parser.onHeader = { [unowned self] field, value in headers[field.lowercased()] = value }
        parser.onBody = { [unowned self] buffer in
            inHeaders = false
            guard failure == nil, !done else { return }
            do {
                if file == nil {
                    guard let name = partFileName() else { return }
                    let path = "\(folder)/\(try Gateway.fileName(name))"
                    file = try RawUpload(path: path, limit: limit)
                    filePath = path
                }
                try file?.write(buffer)
            } catch {
                failure = error
            }
        }
        parser.onPartComplete = { [unowned self] in
            if file != nil { done = true }
            headers = [:]
            inHeaders = true
            headerBytes = 0
            parts += 1
        }
    }

    func write(_ buffer: ByteBuffer) throws {
        var rest = buffer
        // Fed in small slices so that a part's headers are counted within one slice of where
        // they end, whatever the size of the buffers the connection delivers.
        while rest.readableBytes > 0, failure == nil {
            let slice = rest.readSlice(length: min(rest.readableBytes, 4096))!
            if inHeaders { headerBytes += slice.readableBytes }
            guard headerBytes <= Self.maxHeaderBytes + 4096 else {
                throw APIError(.requestHeaderFieldsTooLarge, "headers_too_large",
                               "a multipart part's headers are over \(Self.maxHeaderBytes) bytes")
            }
            guard parts < Self.maxParts else {
                throw APIError.badRequest("the multipart form has more than \(Self.maxParts) parts")
            }
            try parser.execute(slice)
        }
        if let failure { throw failure }
    }

    func finish() throws -> String {
        guard let file, let filePath, done else {
            throw APIError.badRequest("the multipart form holds no complete file part (a part with a filename, or named 'file')")
        }
        _ = try file.finish()
        return filePath
    }

    /// The file name of the current part, if it is the file.
    private func partFileName() -> String? {
        let disposition = headers["content-disposition"] ?? ""
        let parameters = Self.parameters(disposition)
        if let name = parameters["filename"], !name.isEmpty { return fallbackName ?? name }
        if parameters["name"] == "file" { return fallbackName ?? "upload" }
        return nil
    }

    static func boundary(of contentType: String) -> String? {
        parameters(contentType)["boundary"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `key=value` and `key="value"` pairs after the first `;` of a header.
    static func parameters(_ header: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            result[pair[0].trimmingCharacters(in: .whitespaces).lowercased()] = value
        }
        return result
    }
}

extension APIError {
    static func tooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, "too_large", "the body is over the limit of \(limit) bytes for this request")
    }
}
