/// Why an operator's action on models was refused; nothing was appended.
package enum ControlError: Error, Equatable, CustomStringConvertible {
    /// No model trained in this lab matches the key (a full SHA-256 or a unique prefix).
    case unknownModel(String)
    case ambiguousModel(String, [String])
    /// The model fell below the promotion floor: it must not serve.
    case belowFloor(model: String, reason: String)
    case alreadyServing(String)
    /// A roll-back to another model than the pinned one.
    case pinned(String)
    case nothingPinned

    package var description: String {
        switch self {
        case .unknownModel(let key):
            "no model trained in this lab matches '\(EventRow.printable(key))'"
        case .ambiguousModel(let key, let shas):
            "'\(EventRow.printable(key))' matches \(shas.count) models: \(shas.map { EventRow.short($0) }.joined(separator: ", "))"
        case .belowFloor(let model, let reason):
            "model \(EventRow.short(model)) was kept out of service (\(reason)); it cannot serve"
        case .alreadyServing(let model):
            "model \(EventRow.short(model)) is already serving"
        case .pinned(let model):
            "model \(EventRow.short(model)) is pinned; unpin it before rolling back to another"
        case .nothingPinned:
            "no model is pinned"
        }
    }
}
