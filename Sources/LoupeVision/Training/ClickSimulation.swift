/// Simulated clicks for training a guided model, after DeepGrow and DeepEdit (Sakinis et al.
/// 2019; Diaz-Pinto et al. 2022): some crops train without clicks, so the model still predicts
/// well when given none; the others get clicks where the current weights are wrong, placed by
/// `ClickPolicy`, the rule the simulated expert follows, so the model learns from the clicks
/// it will be given.
enum ClickSimulation {
    /// The share of crops trained with clicks.
    static let share = 0.5
    /// A crop with clicks gets 1 to this many, on its longest wrong pieces.
    static let maxClicks = 3

    /// Predicts the batch without clicks, then writes clicks into the guidance planes of the
    /// crops the generator picks. Returns the number of clicks placed.
    @discardableResult
    static func place(
        in batch: inout Batch, net: UNet, parameters: UnsafePointer<Float>, scratch: Scratch,
        generator: inout SeededGenerator
    ) -> Int {
        let input = batch.input
        let picked = (0..<input.batch).map { _ in (generator.unit() < share, 1 + generator.below(maxClicks)) }
        guard picked.contains(where: \.0) else { return 0 }
        let logits = net.forward(input, parameters: parameters, scratch: scratch, keep: false).logits
        let (width, height) = (input.width, input.height)
        let plane = width * height
        let imageChannels = input.channels - GuidanceMaps.planes
        var placed = 0
        for (n, (wanted, count)) in picked.enumerated() where wanted {
            let prediction = PixelMask(width: width, height: height,
                                       bits: logits.storage[n * plane..<(n + 1) * plane].map { $0 > 0 })
            let label = PixelMask(width: width, height: height,
                                  bits: batch.targets[n * plane..<(n + 1) * plane].map { $0 > 0.5 })
            let clicks = ClickPolicy(label: label).candidates(for: prediction).prefix(count).map(\.click)
            guard !clicks.isEmpty else { continue }
            batch.input.storage.withUnsafeMutableBufferPointer {
                GuidanceMaps.fill($0.baseAddress! + (n * input.channels + imageChannels) * plane, clicks: Array(clicks),
                                  x0: 0, y0: 0, width: width, height: height)
            }
            placed += clicks.count
        }
        return placed
    }
}
