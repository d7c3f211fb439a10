/// An expert's hint: a point on the image that is, or is not, on a vessel.
public struct Click: Codable, Equatable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// "There is a vessel here": the model should find the vessel through this point.
        case vessel
        /// "No vessel here": the model should drop what it drew around this point.
        case background
    }

    /// Pixel column and row in the image.
    public var x: Int
    public var y: Int
    public var kind: Kind

    public init(x: Int, y: Int, kind: Kind) {
        self.x = x
        self.y = y
        self.kind = kind
    }
}
