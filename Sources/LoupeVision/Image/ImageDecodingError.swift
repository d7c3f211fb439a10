/// Why a file is not an image Loupe can take. The description is what a user reads in
/// `rejected/NAME.reason.txt`, so it says what was found, not only what is wrong.
public enum ImageDecodingError: Error, Equatable, CustomStringConvertible {
    case empty
    case unknownFormat(firstBytes: String)
    case corrupt(format: String, detail: String)
    /// A valid beginning that stops early: the file may still be being written, so a caller
    /// can wait for it instead of refusing it.
    case incomplete(format: String, detail: String)
    case tooLarge(width: Int, height: Int, limit: Int)
    case tooManyPixels(width: Int, height: Int, limit: Int)
    case unsupported(String)

    public var description: String {
        switch self {
        case .empty:
            return "empty file (0 bytes)"
        case .unknownFormat(let firstBytes):
            return "unknown format (first bytes: \(firstBytes)); expected PNG, JPEG, TIFF, PGM/PPM (P5/P6) or gzip of one"
        case .corrupt(let format, let detail):
            return "unreadable \(format): \(detail)"
        case .incomplete(let format, let detail):
            return "incomplete \(format): \(detail) (file may still be being written)"
        case .tooLarge(let width, let height, let limit):
            return "image is \(width)x\(height), over the limit of \(limit)x\(limit)"
        case .tooManyPixels(let width, let height, let limit):
            return "image is \(width)x\(height), more than the budget of \(limit) pixels"
        case .unsupported(let what):
            return "unsupported: \(what)"
        }
    }
}
