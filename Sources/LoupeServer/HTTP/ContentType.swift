import Foundation
import Hummingbird

/// The media type a route takes: anything else is refused with 415 before the body is read.
enum ContentType {
    static func require(_ request: Request, among accepted: [String]) throws {
        let given = (request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard accepted.contains(given) else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type",
                           "Content-Type '\(Query.shown(given))' is not accepted here; send one of \(accepted.joined(separator: ", "))")
        }
    }
}
