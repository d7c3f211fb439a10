import Foundation

/// Trains a UNet on labelled images. Synchronous: call it from one thread (the daemon's
/// worker); the layers inside fork `threads` workers of their own.
///
/// Same samples, config, warm start and `threads` give bitwise-equal weights:
/// every random draw comes from `SeededGenerator` streams keyed by (seed, epoch), and the
/// layers' reductions are summed in worker order.
public enum Trainer {
    public static func train(
        model: ModelConfig,
        config: TrainingConfig,
        samples: [TrainingSample],
        validation: [TrainingSample] = [],
        warmStart: ModelWeights? = nil,
        threads: Int = ComputeThreads.count,
        progress: (TrainingProgress) -> Void = { _ in },
        shouldStop: () -> Bool = { false },
        epochFinished: (_ epoch: Int, _ weights: ModelWeights) throws -> Void = { _, _ in }
    ) throws -> TrainingResult {
        try model.validate()
        try config.validate()
        guard !samples.isEmpty else { throw TrainingError.noSamples }
        let sources = try prepare(samples, model: model, augment: config.augment)
        let net = UNet(config: model)
        var parameters: [Float]
        if let warmStart {
            guard warmStart.config == model else { throw TrainingError.warmStartArchitecture }
            parameters = warmStart.parameters
        } else {
            parameters = net.initialParameters(seed: config.seed)
        }
        var optimizer = Adam(parameterCount: net.parameterCount, learningRate: config.learningRate)
        var gradients = [Float](repeating: 0, count: net.parameterCount)
        let scratch = Scratch(workers: threads)
        let batchesPerEpoch = (sources.count * config.augment.samplesPerImage + config.batchSize - 1) / config.batchSize
        let start = Date()
        var lossCurve: [Float] = [], validationCurve: [SegmentationMetrics] = []
        var crops = 0, epoch = 0, lastEpochSeconds = 0.0

        while shouldStartEpoch(config.budget, finished: epoch, elapsed: Date().timeIntervalSince(start),
                               lastEpochSeconds: lastEpochSeconds) {
            let epochStart = Date()
            var generator = SeededGenerator(seed: config.seed, stream: 0xC0FFEE, index: UInt64(epoch))
            var examples = config.augment.apply(to: sources, generator: &generator)
            shuffle(&examples, generator: &generator)
            epoch += 1
            var lossSum: Float = 0, batch = 0
            for first in stride(from: 0, to: examples.count, by: config.batchSize) {
                if shouldStop() { throw TrainingError.cancelled }
                let slice = examples[first..<min(examples.count, first + config.batchSize)]
                var inputs = Batch(slice, multiple: model.sizeMultiple, centerlines: config.skeletonRecall > 0,
                                   guidance: model.guidance)
                if model.guidance {
                    var clicks = SeededGenerator(seed: config.seed, stream: 0xC11C, index: UInt64(epoch) << 32 | UInt64(batch))
                    parameters.withUnsafeBufferPointer {
                        ClickSimulation.place(in: &inputs, net: net, parameters: $0.baseAddress!, scratch: scratch,
                                              generator: &clicks)
                    }
                }
                lossSum += step(inputs, skeletonRecall: config.skeletonRecall, net: net, parameters: &parameters,
                                gradients: &gradients, optimizer: &optimizer, scratch: scratch)
                batch += 1
                crops += slice.count
                let seconds = Date().timeIntervalSince(start)
                progress(TrainingProgress(
                    epoch: epoch, plannedEpochs: plannedEpochs(config.budget), batch: batch,
                    batchesPerEpoch: batchesPerEpoch, loss: lossSum / Float(batch),
                    validationDice: validationCurve.last?.dice, cropsPerSecond: Double(crops) / seconds,
                    elapsedSeconds: seconds,
                    remainingSeconds: remaining(config.budget, epoch: epoch, batch: batch,
                                                batchesPerEpoch: batchesPerEpoch, elapsed: seconds)))
            }
            lossCurve.append(lossSum / Float(max(batch, 1)))
            let weights = try ModelWeights(config: model, parameters: parameters)
            if !validation.isEmpty {
                validationCurve.append(evaluate(weights, on: validation))
            }
            try epochFinished(epoch, weights)
            lastEpochSeconds = Date().timeIntervalSince(epochStart)
        }
        return TrainingResult(
            weights: try ModelWeights(config: model, parameters: parameters), epochs: epoch, lossCurve: lossCurve,
            validationCurve: validationCurve, milliseconds: Int(Date().timeIntervalSince(start) * 1000),
            crops: crops, threads: scratch.workers)
    }

    /// One forward, backward and Adam update; returns the batch loss.
    static func step(
        _ batch: Batch, skeletonRecall: Double = 0, net: UNet, parameters: inout [Float], gradients: inout [Float],
        optimizer: inout Adam, scratch: Scratch
    ) -> Float {
        let count = gradients.count
        let loss = parameters.withUnsafeBufferPointer { p in
            let (logits, saved) = net.forward(batch.input, parameters: p.baseAddress!, scratch: scratch, keep: true)
            let result = SegmentationLoss.evaluate(
                logits: logits, targets: batch.targets, centerlines: batch.centerlines, skeletonRecall: skeletonRecall)
            gradients.withUnsafeMutableBufferPointer { g in
                g.baseAddress!.update(repeating: 0, count: count)
                net.backward(saved!, logitGradient: result.gradient, parameters: p.baseAddress!,
                             gradients: g.baseAddress!, scratch: scratch)
            }
            return result.loss
        }
        optimizer.update(&parameters, gradients: gradients)
        return loss
    }

    public static func evaluate(_ weights: ModelWeights, on samples: [TrainingSample], threshold: Float = 0.5)
        -> SegmentationMetrics
    {
        let predictor = Predictor(weights: weights)
        var pooled = MetricsAccumulator(threshold: threshold)
        for sample in samples {
            let field = sample.fov ?? estimateFOV(image: sample.image)
            let prediction = predictor.predict(image: sample.image, fov: field, threshold: threshold)
            pooled.add(probability: prediction.probability, label: sample.mask, fov: field)
        }
        return pooled.metrics
    }

    private static func prepare(_ samples: [TrainingSample], model: ModelConfig, augment: AugmentationPipeline)
        throws -> [AugmentedSample]
    {
        try samples.enumerated().map { index, sample in
            let image = sample.image
            let sameSize = { (other: RasterImage) in other.width == image.width && other.height == image.height }
            guard sameSize(sample.mask), sample.fov.map(sameSize) ?? true else {
                throw TrainingError.maskSizeMismatch(sample: index)
            }
            for case .crop(let size, _) in augment.steps where size > min(image.width, image.height) {
                throw TrainingError.imageSmallerThanCrop(sample: index, crop: size)
            }
            let encoded = EncodedImage(image, config: model, fov: sample.fov)
            return AugmentedSample(encoded, label: sample.mask.luminance.pixels.map { $0 > 127 ? 1 : 0 })
        }
    }

    /// Fisher-Yates on our own generator: `shuffle(using:)`'s algorithm is not guaranteed
    /// stable across Swift versions, and reproducibility must survive an upgrade.
    private static func shuffle(_ items: inout [AugmentedSample], generator: inout SeededGenerator) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, generator.below(i + 1))
        }
    }

    private static func shouldStartEpoch(
        _ budget: TrainingConfig.Budget, finished: Int, elapsed: Double, lastEpochSeconds: Double
    ) -> Bool {
        switch budget {
        case .epochs(let planned): finished < planned
        case .minutes(let minutes): finished == 0 || elapsed + lastEpochSeconds <= minutes * 60
        }
    }

    private static func plannedEpochs(_ budget: TrainingConfig.Budget) -> Int? {
        if case .epochs(let n) = budget { return n }
        return nil
    }

    private static func remaining(
        _ budget: TrainingConfig.Budget, epoch: Int, batch: Int, batchesPerEpoch: Int, elapsed: Double
    ) -> Double? {
        switch budget {
        case .minutes(let minutes): return max(0, minutes * 60 - elapsed)
        case .epochs(let planned):
            let done = Double(epoch - 1) + Double(batch) / Double(batchesPerEpoch)
            return elapsed / done * (Double(planned) - done)
        }
    }
}
