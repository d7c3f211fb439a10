/// An image as the network reads it: channel planes in [0, 1] plus the statistics that
/// normalisation will use, computed once on the whole image so that every crop of it is
/// scaled the same way as the full image is at inference.
struct EncodedImage: Sendable {
    let width: Int
    let height: Int
    let channels: Int
    var planes: [Float]
    let mean: [Float]
    let deviation: [Float]

    init(_ image: RasterImage, config: ModelConfig, fov: RasterImage?) {
        width = image.width
        height = image.height
        let sources: [RasterImage]
        switch config.input {
        case .green: sources = [image.channels >= 3 ? image.channel(1) : image.luminance]
        case .gray: sources = [Self.gray(image)]
        case .rgb: sources = image.channels >= 3 ? (0..<3).map(image.channel) : Array(repeating: image.luminance, count: 3)
        }
        channels = sources.count
        planes = sources.flatMap { $0.pixels.map { Float($0) / 255 } }
        switch config.normalization {
        case .unit:
            mean = Array(repeating: 0.5, count: channels)
            deviation = Array(repeating: 1, count: channels)
        case .perImage:
            let inside = (fov ?? estimateFOV(image: image)).luminance.pixels.map { $0 > 127 }
            let statistics = sources.map { Self.statistics($0.pixels, inside: inside) }
            mean = statistics.map(\.mean)
            deviation = statistics.map(\.deviation)
        }
    }

    init(width: Int, height: Int, channels: Int, planes: [Float], mean: [Float], deviation: [Float]) {
        self.width = width
        self.height = height
        self.channels = channels
        self.planes = planes
        self.mean = mean
        self.deviation = deviation
    }

    /// Applies the normalisation in place: (x - mean) / deviation per channel.
    static func normalize(_ planes: inout [Float], channels: Int, mean: [Float], deviation: [Float]) {
        let plane = planes.count / channels
        planes.withUnsafeMutableBufferPointer { p in
            for c in 0..<channels {
                let m = mean[c], scale = 1 / deviation[c]
                let base = p.baseAddress! + c &* plane
                for i in 0..<plane { base[i] = (base[i] - m) * scale }
            }
        }
    }

    func normalized() -> [Float] {
        var copy = planes
        Self.normalize(&copy, channels: channels, mean: mean, deviation: deviation)
        return copy
    }

    private static func gray(_ image: RasterImage) -> RasterImage {
        guard image.channels >= 3 else { return image.luminance }
        let count = image.width * image.height
        var gray = [UInt8](repeating: 0, count: count)
        image.pixels.withUnsafeBufferPointer { p in
            for i in 0..<count {
                let base = i &* image.channels
                let sum = 299 &* Int(p[base]) &+ 587 &* Int(p[base &+ 1]) &+ 114 &* Int(p[base &+ 2])
                gray[i] = UInt8(sum / 1000)
            }
        }
        return RasterImage(width: image.width, height: image.height, channels: 1, pixels: gray)
    }

    private static func statistics(_ pixels: [UInt8], inside: [Bool]) -> (mean: Float, deviation: Float) {
        var sum: Double = 0, squares: Double = 0, count: Double = 0
        for (value, keep) in zip(pixels, inside) where keep {
            let x = Double(value) / 255
            sum += x
            squares += x * x
            count += 1
        }
        guard count > 1 else { return (0.5, 1) }
        let mean = sum / count
        let variance = max(squares / count - mean * mean, 0)
        return (Float(mean), Float(max(variance.squareRoot(), 1e-3)))
    }
}
