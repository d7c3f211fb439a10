import Foundation
@testable import LoupeVision

/// Small fundus-like test images: a bright disc with dark curved "vessels", and their labels.
enum SyntheticVessels {
    static func sample(size: Int, seed: UInt64) -> TrainingSample {
        var generator = SeededGenerator(seed: seed)
        let centre = Double(size) / 2
        let phase = generator.uniform(0, 6.28), slope = generator.uniform(-0.4, 0.4)
        var rgb = [UInt8](repeating: 0, count: size * size * 3)
        var label = [UInt8](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let (dx, dy) = (Double(x) - centre, Double(y) - centre)
                guard (dx * dx + dy * dy).squareRoot() < centre - 1 else { continue }
                let curve = centre + slope * dx + 3 * sin(Double(x) / 5 + phase)
                let branch = centre + 0.6 * dy + 2 * cos(Double(y) / 4 + phase)
                let vessel = abs(Double(y) - curve) < 1.6 || abs(Double(x) - branch) < 1.2
                let noise = generator.uniform(-12, 12)
                let i = y * size + x
                label[i] = vessel ? 255 : 0
                rgb[i * 3] = UInt8(180 + noise)
                rgb[i * 3 + 1] = UInt8((vessel ? 70 : 130) + noise)
                rgb[i * 3 + 2] = UInt8(40 + noise)
            }
        }
        return TrainingSample(
            image: RasterImage(width: size, height: size, channels: 3, pixels: rgb),
            mask: RasterImage(width: size, height: size, channels: 1, pixels: label))
    }
}
