/// Why a simulation, benchmark or dataset read could not go on, in words for the person who
/// started it.
package struct HarnessError: Error, CustomStringConvertible {
    package let description: String

    package init(_ description: String) {
        self.description = description
    }
}
