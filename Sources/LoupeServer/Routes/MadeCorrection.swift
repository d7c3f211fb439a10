import Foundation
import Hummingbird
import LoupeLab

/// A correction as the page sends it when it has more to say than the mask: the PNG in
/// base64 and how the mask was made (clicks, the hint model, strokes), recorded with it.
struct MadeCorrection: Decodable {
    let mask: String
    let making: CorrectionMaking

    /// The mask's bytes and the making as a client may state it: the hinted mask and the
    /// pixels' origins are the lab's to compute, so a client's are dropped.
    static func read(_ request: Request, limit: Int) async throws -> (mask: [UInt8], making: CorrectionMaking) {
        let made = try await JSONRequest.decode(Self.self, from: request, limit: limit)
        guard let bytes = Data(base64Encoded: made.mask) else { throw APIError.badRequest("mask is not base64") }
        var making = made.making
        making.hintedMask = nil
        making.pixels = nil
        return (Array(bytes), making)
    }

    /// True when the request carries a `MadeCorrection` rather than a bare PNG.
    static func carried(by request: Request) -> Bool {
        (request.headers[.contentType] ?? "").lowercased().hasPrefix("application/json")
    }
}
