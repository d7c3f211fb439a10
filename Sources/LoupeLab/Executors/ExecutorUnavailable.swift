/// The configured executor cannot take jobs; the message names what is wrong and the
/// `executor.*` key to look at.
package struct ExecutorUnavailable: Error, Equatable, CustomStringConvertible {
    package let description: String

    package init(_ description: String) {
        self.description = description
    }
}
