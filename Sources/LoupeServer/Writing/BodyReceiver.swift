import Foundation
import Hummingbird
import LoupeDaemon
import MultipartKit

/// An HTTP body written into the folder the gateway gives: raw bytes, or the first file of a
/// multipart form. Streamed to disk, never held whole.
enum BodyReceiver {
    /// Returns the written file's path. Throws 413 past `limit` bytes, 400 for a form without a
    /// file or a body cut short; the gateway removes the folder then.
    static func write(_ request: Request, into folder: String, name: String?, limit: Int) async throws -> String {
        let contentType = request.headers[.contentType] ?? ""
        let writer: BodyWriter
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            guard let boundary = MultipartUpload.boundary(of: contentType) else {
                throw APIError.badRequest("multipart/form-data without a boundary")
            }
            writer = MultipartUpload(boundary: boundary, folder: folder, name: name, limit: limit)
        } else {
            guard let name else { throw APIError.badRequest("name the upload: ?name=FILE.png") }
            writer = try RawUpload(path: "\(folder)/\(try Gateway.fileName(name))", limit: limit)
        }
        var chunks = request.body.makeAsyncIterator()
        while true {
            let next: ByteBuffer?
            do { next = try await chunks.next() } catch { throw APIError.cutShort(error) }
            guard let buffer = next else { break }
            try writer.write(buffer)
        }
        return try writer.finish()
    }
}
