/// A rectangle of pixels: columns `x..<x+width`, rows `y..<y+height`.
public struct PixelRegion: Codable, Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public static func whole(width: Int, height: Int) -> PixelRegion {
        PixelRegion(x: 0, y: 0, width: width, height: height)
    }

    /// The smallest region holding both.
    public func union(_ other: PixelRegion) -> PixelRegion {
        let x0 = min(x, other.x), y0 = min(y, other.y)
        let x1 = max(x + width, other.x + other.width), y1 = max(y + height, other.y + other.height)
        return PixelRegion(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// Grown to start and end on multiples of `multiple` (or the image's edge), inside the image.
    func aligned(to multiple: Int, imageWidth: Int, imageHeight: Int) -> PixelRegion {
        let x0 = max(0, x / multiple * multiple), y0 = max(0, y / multiple * multiple)
        let x1 = min(imageWidth, (x + width + multiple - 1) / multiple * multiple)
        let y1 = min(imageHeight, (y + height + multiple - 1) / multiple * multiple)
        return PixelRegion(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }
}
