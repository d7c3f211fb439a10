import Hummingbird
import LoupeLab

/// `/images`' filters, checked: `state` (review's todo, corrected, flagged, skipped, or the
/// projection's pending and predicted, as before review), `by` (me, anyone, or a name) and `q`
/// (part of a name). A bad value is a 400 naming the parameter.
enum ReviewQuery {
    static let maxSearchLength = 200

    static func filter(_ request: Request, caller: Caller) throws -> ReviewFilter {
        let query = request.uri.queryParameters
        var filter = ReviewFilter()
        if let text = query["state"].map(String.init) {
            if let status = ReviewStatus(rawValue: text) {
                filter.status = status
            } else if let state = ImageState(rawValue: text), state != .corrected {
                filter.state = state
            } else {
                throw APIError.badRequest("state must be todo, corrected, flagged, skipped, pending or predicted, not '\(Query.shown(text))'")
            }
        }
        switch query["by"].map(String.init) {
        case nil, "anyone": break
        case "me": filter.correctedBy = .some(caller.annotator)
        case let name?:
            guard (try? AnnotatorName.validate(name)) != nil else {
                throw APIError.badRequest("by must be me, anyone or an annotator's name, not '\(Query.shown(name))'")
            }
            filter.correctedBy = .some(name)
        }
        if let text = query["q"].map(String.init) {
            guard text.count <= maxSearchLength, !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw APIError.badRequest("q must be at most \(maxSearchLength) characters without control characters")
            }
            filter.nameContains = text
        }
        return filter
    }
}
