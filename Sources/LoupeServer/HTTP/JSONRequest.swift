import Foundation
import Hummingbird
import NIOCore
import LoupeLab

/// A JSON request body, read only when it says it is JSON and only up to the lab's limit.
///
/// `application/json` is required: a browser sends `text/plain` and form bodies to another
/// site without asking first, but must ask (a preflight this server never grants) before it
/// sends JSON, so the type alone keeps other sites' pages from posting here.
enum JSONRequest {
    static func bytes(_ request: Request, limit: Int) async throws -> ByteBuffer {
        try ContentType.require(request, among: ["application/json"])
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw APIError.tooLarge(limit: limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge(limit: limit)
        } catch {
            throw APIError.cutShort(error)
        }
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request, limit: Int) async throws -> Value {
        let buffer = try await bytes(request, limit: limit)
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError.badRequest("the body is not the JSON this route takes: \(Settings.describe(error))")
        } catch {
            throw APIError.badRequest("the body is not JSON: \(error)")
        }
    }
}

extension APIError {
    /// A body that ended before its length, or a connection dropped mid-body: the client's fault.
    static func cutShort(_ error: any Error) -> APIError {
        APIError(.badRequest, "body_cut_short", "the request body ended before it was complete (\(error))")
    }
}
