/// The configured executor cannot take jobs; the message names what is wrong and the
/// `executor.*` key to look at.
public struct ExecutorUnavailable: Error, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
