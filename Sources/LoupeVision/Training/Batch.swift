/// Stacks augmented samples into a normalised input tensor and a flat 0/1 target vector.
/// Samples of different sizes are padded to the largest, rounded up to the network's multiple,
/// with black input and background label. A guided model's batch carries its guidance planes
/// after the image's, zero until `ClickSimulation` places clicks.
struct Batch {
    var input: Tensor
    let targets: [Float]
    /// The label's centerline, 0/1 like `targets`; empty unless asked for (`centerlines`).
    let centerlines: [Float]

    init(
        _ samples: ArraySlice<AugmentedSample>, multiple: Int, centerlines wantCenterlines: Bool = false,
        guidance: Bool = false
    ) {
        let first = samples.first!
        let channels = first.channels
        let height = (samples.map(\.height).max()! + multiple - 1) / multiple * multiple
        let width = (samples.map(\.width).max()! + multiple - 1) / multiple * multiple
        var input = Tensor(batch: samples.count, channels: channels + (guidance ? GuidanceMaps.planes : 0),
                           height: height, width: width)
        var targets = [Float](repeating: 0, count: samples.count * height * width)
        for (n, sample) in samples.enumerated() {
            var planes = sample.input
            EncodedImage.normalize(&planes, channels: channels, mean: sample.mean, deviation: sample.deviation)
            for c in 0..<channels {
                let black = -sample.mean[c] / sample.deviation[c]
                for i in 0..<height {
                    for j in 0..<width {
                        let inside = i < sample.height && j < sample.width
                        input[n, c, i, j] = inside ? planes[(c * sample.height + i) * sample.width + j] : black
                    }
                }
            }
            for i in 0..<sample.height {
                for j in 0..<sample.width {
                    targets[(n * height + i) * width + j] = sample.label[i * sample.width + j]
                }
            }
        }
        self.input = input
        self.targets = targets
        centerlines = wantCenterlines ? Self.centerlines(of: targets, width: width, height: height) : []
    }

    /// Each crop's label thinned after augmentation, so the line matches what the crop shows.
    private static func centerlines(of targets: [Float], width: Int, height: Int) -> [Float] {
        let plane = width * height
        return stride(from: 0, to: targets.count, by: plane).flatMap { start in
            let label = PixelMask(width: width, height: height, bits: targets[start..<start + plane].map { $0 > 0.5 })
            return Skeleton.thin(label).bits.map { $0 ? Float(1) : 0 }
        }
    }
}
