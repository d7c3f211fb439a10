import Foundation
import Hummingbird
import LoupeDaemon
import LoupeLab

/// `POST /api/v1/images/{id}/hints`: an expert's clicks answered by the serving model with the
/// region they change. Same tokens, role and claims as a correction; nothing is recorded (the
/// clicks are recorded with the correction they lead to).
struct HintRoutes {
    let api: LabAPI

    /// Large enough that 10,000 clicks are read and refused by count with a clear message;
    /// a larger body is refused unread.
    static let bodyLimit = 1 << 20

    struct Asked: Decodable {
        let clicks: [AskedClick]
        let new: Int?
        let model: String?
    }

    /// A click as a client wrote it, read so that a wrong coordinate or kind is named in the
    /// refusal: the JSON decoder alone says only that the data was not valid.
    struct AskedClick: Decodable {
        let click: Click

        private enum Key: String, CodingKey { case x, y, kind }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            func coordinate(_ key: Key) throws -> Int {
                guard let value = try? container.decode(Double.self, forKey: key), value.isFinite, value == value.rounded(),
                      abs(value) < 1e9 else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "\(key.stringValue) must be a whole pixel index")
                }
                return Int(value)
            }
            let kind = try? container.decode(String.self, forKey: .kind)
            guard let kind = kind.flatMap(Click.Kind.init(rawValue:)) else {
                throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "kind must be vessel or background")
            }
            click = Click(x: try coordinate(.x), y: try coordinate(.y), kind: kind)
        }
    }

    struct Answer: Encodable {
        let model: String
        let region: PixelRegion
        /// Grey PNGs of the region, base64: the mask after the new clicks, before them, and
        /// the probabilities after them.
        let mask: String
        let previousMask: String
        let probability: String
        let changed: Int
        let clicks: Int
        let ms: Int
    }

    func add(to router: Router<LabContext>) {
        router.group("api/v1").on("images/:id/hints", .post, needs: .annotator) { request, context, caller in
            let record = try api.readers.read { try $0.image(named: try context.parameters.require("id")) }
            let asked = try await JSONRequest.decode(Asked.self, from: request, limit: Self.bodyLimit)
            if case .takenBy(let other) = api.claims.claim(record.sha, for: caller.name) {
                throw APIError(.conflict, "claimed", "\(record.name) is being corrected by \(other.annotator)")
            }
            let answer: HintAnswer
            do {
                answer = try await api.gateway.hint(HintAsked(image: record.sha, clicks: asked.clicks.map(\.click), newCount: asked.new, model: asked.model))
            } catch let busy as OnDemandError {
                throw APIError(.serviceUnavailable, "too_busy", busy.description)
            }
            return try JSONBody.response(Answer(
                model: answer.model, region: answer.region, mask: Data(answer.mask).base64EncodedString(),
                previousMask: Data(answer.previousMask).base64EncodedString(),
                probability: Data(answer.probability).base64EncodedString(), changed: answer.changed,
                clicks: asked.clicks.count, ms: answer.ms
            ))
        }
    }
}

extension HintError {
    /// 400 for clicks the image cannot take; 409 for a lab whose model cannot answer them now.
    var apiError: APIError {
        switch self {
        case .badClicks: APIError.badRequest(description)
        case .noModel: APIError(.conflict, "no_model", description)
        case .noGuidance: APIError(.conflict, "no_guidance", description)
        case .noPrediction: APIError(.conflict, "no_prediction", description)
        case .modelChanged: APIError(.conflict, "model_changed", description)
        }
    }
}
