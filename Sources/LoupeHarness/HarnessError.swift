/// Why a simulation, benchmark or dataset read could not go on, in words for the person who
/// started it.
public struct HarnessError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
