extension UNet {
    /// Accumulates d(loss)/d(parameters) into `gradients`, given d(loss)/d(logits).
    func backward(
        _ activations: UNetActivations, logitGradient: Tensor,
        parameters: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>, scratch: Scratch
    ) {
        func through(
            _ conv: Conv2D, input: Tensor, _ dy: Tensor, gate: Tensor? = nil, inputGradient: Bool = true
        ) -> Tensor? {
            conv.backward(input: input, outputGradient: dy, gate: gate, parameters: parameters, gradients: gradients,
                          needsInputGradient: inputGradient, scratch: scratch)
        }
        /// Each convolution of a block fused its ReLU, so its output gates its gradient.
        func through(
            _ block: Block, input: Tensor, saved: UNetActivations.Block, _ dy: Tensor, inputGradient: Bool = true
        ) -> Tensor? {
            let g = through(block.second, input: saved.first, dy, gate: saved.second)!
            return through(block.first, input: input, g, gate: saved.first, inputGradient: inputGradient)
        }

        let finest = activations.decoder[0].second
        var g = through(head, input: finest, logitGradient)!
        var skipGradients: [Tensor] = []
        for level in decoder.indices {
            let (block, saved) = (decoder[level].block, activations.decoder[level])
            let dFirst = through(block.second, input: saved.first, g, gate: saved.second)!
            let (dSkip, dUp) = block.first.backward(
                input: activations.encoder[level].second, joinedWith: activations.upsampled[level],
                outputGradient: dFirst, gate: saved.first, parameters: parameters, gradients: gradients,
                scratch: scratch)
            skipGradients.append(dSkip)
            let below = level + 1 < decoder.count ? activations.decoder[level + 1].second
                : activations.bottleneck!.second
            g = decoder[level].up.backward(input: below, outputGradient: dUp, parameters: parameters,
                                           gradients: gradients, scratch: scratch)
        }
        g = through(bottleneck, input: activations.pooled.last!, saved: activations.bottleneck!, g)!
        for level in encoder.indices.reversed() {
            let saved = activations.encoder[level]
            g = MaxPool2D.backward(input: saved.second, outputGradient: g, adding: skipGradients[level],
                                   workers: scratch.workers)
            let input = level == 0 ? activations.input : activations.pooled[level - 1]
            guard let next = through(encoder[level], input: input, saved: saved, g, inputGradient: level > 0) else {
                break
            }
            g = next
        }
    }
}
