public enum ModelFileError: Error, Equatable, CustomStringConvertible {
    case badMagic
    case newerVersion(found: UInt32, supported: UInt32)
    case truncated(needed: Int, found: Int)
    case wrongSize(expected: Int, found: Int)
    case badArchitecture(String)
    case parameterCountMismatch(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .badMagic:
            "not a Loupe model file (bad magic bytes)"
        case .newerVersion(let found, let supported):
            "model file format version \(found) is newer than this Loupe supports (\(supported)); upgrade Loupe"
        case .truncated(let needed, let found):
            "model file is truncated: header needs \(needed) bytes, file has \(found)"
        case .wrongSize(let expected, let found):
            "model file has the wrong size: expected \(expected) bytes for its architecture, found \(found)"
        case .badArchitecture(let detail):
            "model file describes an invalid architecture: \(detail)"
        case .parameterCountMismatch(let expected, let found):
            "model has \(found) parameters but its architecture needs \(expected)"
        }
    }
}
