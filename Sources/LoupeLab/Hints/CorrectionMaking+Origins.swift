import LoupeLedger
import LoupeVision

extension CorrectionMaking {
    /// This record with the hinted mask recomputed and stored, and the saved mask's pixels
    /// told apart: as the model predicted, from the hints, or by hand. The hinted mask is the
    /// hint model's whole-image prediction under every click, exactly what the page's hints
    /// added up to; without clicks it is the prediction the expert started from. Heavy (a
    /// whole-image prediction): runs in the mask's examination, off the loop.
    func accounted(for mask: BinaryMask, image: ImageRecord, basedOnMask: String?, objects: ObjectStore) throws -> CorrectionMaking {
        let width = image.width, height = image.height
        let predicted = try basedOnMask.map { BinaryMask(try ImageCodec.decode(objects.read($0))).raster.pixels }
            ?? [UInt8](repeating: 0, count: width * height)
        var accounted = self
        var hinted = predicted
        if let model = hintModel, !clicks.isEmpty {
            let weights = try ModelWeights(decoding: objects.read(model))
            let raster = try ImageCodec.decode(objects.read(image.sha))
            let guided = clicks.compactMap { click in Click.Kind(rawValue: click.kind).map { Click(x: click.x, y: click.y, kind: $0) } }
            let prediction = Predictor(weights: weights).predict(image: raster, clicks: guided)
            hinted = prediction.mask.pixels
            accounted.hintedMask = try objects.put(try ImageCodec.encodePNG(prediction.mask))
        }
        var origins = PixelOrigins(model: 0, hints: 0, hand: 0)
        for (index, value) in mask.raster.pixels.enumerated() {
            if value != hinted[index] {
                origins.hand += 1
            } else if hinted[index] != predicted[index] {
                origins.hints += 1
            } else {
                origins.model += 1
            }
        }
        accounted.pixels = origins
        return accounted
    }
}
