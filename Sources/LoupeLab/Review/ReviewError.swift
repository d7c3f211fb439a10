/// Why a review action was refused; nothing was appended.
package enum ReviewError: Error, Equatable, CustomStringConvertible {
    /// A reason, comment or note that is empty, too long or holds control characters.
    case badText(String, String)
    /// Nothing to review: the image has no correction, or none with that seq.
    case noCorrection(image: String)
    case unknownCorrection(image: String, seq: Int)
    /// A reviewer does not judge their own correction.
    case ownCorrection(String)
    /// Restoring an image that is not set aside.
    case notSetAside(image: String)

    package var description: String {
        switch self {
        case .badText(let what, let problem): "the \(what) \(problem)"
        case .noCorrection(let image): "\(image) has no correction to review"
        case .unknownCorrection(let image, let seq): "\(image) has no correction with seq \(seq)"
        case .ownCorrection(let name): "\(name) cannot review their own correction: another reviewer must"
        case .notSetAside(let image): "\(image) is neither skipped nor flagged"
        }
    }
}
