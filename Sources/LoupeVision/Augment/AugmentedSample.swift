import Foundation

/// A training example in flight through the augmentation steps: input planes in [0, 1]
/// (normalised only when it is batched) and a 0/1 label plane of the same size.
struct AugmentedSample: Sendable {
    var width: Int
    var height: Int
    let channels: Int
    var input: [Float]
    var label: [Float]
    let mean: [Float]
    let deviation: [Float]

    init(_ image: EncodedImage, label: [Float]) {
        width = image.width
        height = image.height
        channels = image.channels
        input = image.planes
        self.label = label
        mean = image.mean
        deviation = image.deviation
    }
}

extension AugmentationPipeline {
    func apply(to samples: [AugmentedSample], generator: inout SeededGenerator) -> [AugmentedSample] {
        steps.reduce(samples) { current, step in
            current.flatMap { step.apply(to: $0, generator: &generator) }
        }
    }
}

extension AugmentationStep {
    func apply(to sample: AugmentedSample, generator: inout SeededGenerator) -> [AugmentedSample] {
        switch self {
        case .crop(let size, let count):
            return (0..<count).map { _ in
                let x = generator.below(max(1, sample.width - size + 1))
                let y = generator.below(max(1, sample.height - size + 1))
                return sample.remapped(width: min(size, sample.width), height: min(size, sample.height)) { i, j in
                    (y + i, x + j)
                }
            }
        case .flip(let horizontal, let vertical):
            let mirrorX = generator.unit() < horizontal, mirrorY = generator.unit() < vertical
            guard mirrorX || mirrorY else { return [sample] }
            let (w, h) = (sample.width, sample.height)
            return [sample.remapped(width: w, height: h) { i, j in
                (mirrorY ? h - 1 - i : i, mirrorX ? w - 1 - j : j)
            }]
        case .rotate90(let probability):
            let turn = generator.unit() < probability, quarterTurns = 1 + generator.below(3)
            guard turn, sample.width == sample.height else { return [sample] }
            let n = sample.width
            return [sample.remapped(width: n, height: n) { i, j in
                switch quarterTurns {
                case 1: (j, n - 1 - i)
                case 2: (n - 1 - i, n - 1 - j)
                default: (n - 1 - j, i)
                }
            }]
        case .jitter(let brightness, let contrast, let gamma):
            let shift = Float(generator.uniform(-brightness, brightness))
            let stretch = Float(generator.uniform(1 - contrast, 1 + contrast))
            let power = Float(exp(generator.uniform(-gamma, gamma)))
            var copy = sample
            copy.input = sample.input.map { x in
                let adjusted = min(max((x + shift - 0.5) * stretch + 0.5, 0), 1)
                return powf(adjusted, power)
            }
            return [copy]
        }
    }
}

extension AugmentedSample {
    /// A new sample whose pixel (i, j) comes from `source(i, j)` = (row, column) in this one.
    func remapped(width newWidth: Int, height newHeight: Int, source: (Int, Int) -> (Int, Int)) -> AugmentedSample {
        var copy = self
        copy.width = newWidth
        copy.height = newHeight
        let plane = newWidth * newHeight, oldPlane = width * height
        var indices = [Int](repeating: 0, count: plane)
        for i in 0..<newHeight {
            for j in 0..<newWidth {
                let (y, x) = source(i, j)
                indices[i * newWidth + j] = y * width + x
            }
        }
        copy.input = [Float](repeating: 0, count: channels * plane)
        copy.label = indices.map { label[$0] }
        for c in 0..<channels {
            for k in 0..<plane { copy.input[c * plane + k] = input[c * oldPlane + indices[k]] }
        }
        return copy
    }
}
