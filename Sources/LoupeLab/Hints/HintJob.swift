import Foundation
import LoupeLedger
import LoupeVision

/// The heavy part of a hint: the serving model re-predicts the region an expert's new clicks
/// can change, with every click so far as guidance. Runs on the loop's thread pool; the
/// session of the image (see `HintSessions`) is reused when it holds exactly the earlier
/// clicks, and rebuilt otherwise (an undo, another page), so the answer depends only on the
/// image, the model and the clicks.
package struct HintJob: Sendable {
    package let image: String
    let model: ServingModel
    /// The serving model's recorded prediction of the image: its probability map is where a
    /// new session starts.
    let prediction: PredictionMade
    let clicks: [Click]
    let newCount: Int
    let objects: ObjectStore
    let sessions: HintSessions

    package func run() throws -> HintAnswer {
        let start = DispatchTime.now().uptimeNanoseconds
        let key = HintSessions.Key(image: image, model: model.sha)
        let earlier = Array(clicks.dropLast(newCount))
        var session: HintSession
        var reused = false
        if let cached = sessions.take(key), cached.clicks == earlier {
            session = cached
            reused = true
        } else {
            session = try freshSession()
            if !earlier.isEmpty { session.add(earlier) }
        }
        let before = session.probability
        let region = session.add(Array(clicks.suffix(newCount)))
        sessions.put(session, for: key)
        let after = session.probability(in: region)
        let previous = (region.y..<region.y + region.height).flatMap { y in
            before[(y * session.width + region.x)..<(y * session.width + region.x + region.width)]
        }
        let ms = Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        return try HintAnswer(model: model.sha, region: region, probability: after, previous: previous, ms: ms, reusedSession: reused)
    }

    /// A session that starts from the stored probabilities of the model's prediction. They
    /// are 8-bit (p rounded to k/255): the mask they give at 0.5 is the stored mask exactly,
    /// and a value is off by at most 1/510, which no click region keeps anyway (it is
    /// re-predicted at full precision). A prediction recorded without a probability map (an
    /// older log) is recomputed.
    private func freshSession() throws -> HintSession {
        let raster = try ImageCodec.decode(objects.read(image))
        let predictor = Predictor(weights: model.weights)
        guard let stored = prediction.probability else {
            return HintSession(predictor: predictor, image: raster, fov: nil)
        }
        let map = try ImageCodec.decode(objects.read(stored))
        guard map.width == raster.width, map.height == raster.height else {
            return HintSession(predictor: predictor, image: raster, fov: nil)
        }
        let probability = map.luminance.pixels.map { Float($0) / 255 }
        return HintSession(predictor: predictor, image: raster, fov: nil, probability: probability)
    }
}

/// What a hint changed: the region, and there the model's probabilities before and after the
/// new clicks, as grey PNGs the page reads like any other mask.
package struct HintAnswer: Sendable {
    package let model: String
    package let region: PixelRegion
    /// 255 where the probability is at least 0.5 after the new clicks.
    package let mask: [UInt8]
    /// The same before them: a page changes only the pixels where the two differ, so what the
    /// expert drew by hand there stays.
    package let previousMask: [UInt8]
    /// The probabilities after the new clicks, 0...255.
    package let probability: [UInt8]
    /// Pixels of the region whose mask the new clicks changed.
    package let changed: Int
    /// The region's masks after and before the new clicks, 0/255, row-major.
    let after: [UInt8]
    let before: [UInt8]
    package let ms: Int
    package let reusedSession: Bool

    init(model: String, region: PixelRegion, probability: [Float], previous: [Float], ms: Int, reusedSession: Bool) throws {
        self.model = model
        self.region = region
        self.ms = ms
        self.reusedSession = reusedSession
        // The threshold of every recorded prediction (`Predictor.predict`'s default).
        let threshold: Float = 0.5
        after = probability.map { $0 >= threshold ? 255 : 0 }
        before = previous.map { $0 >= threshold ? 255 : 0 }
        let encode = { (pixels: [UInt8]) in
            try ImageCodec.encodePNG(RasterImage(width: region.width, height: region.height, channels: 1, pixels: pixels))
        }
        mask = try encode(after)
        previousMask = try encode(before)
        self.probability = try encode(probability.map { UInt8((min(max($0, 0), 1) * 255).rounded()) })
        changed = zip(after, before).filter { $0 != $1 }.count
    }

    /// `whole` (a mask of the image, 0/255) with the pixels the new clicks changed set as they
    /// say, as the page applies a hint: everything else stays.
    package func pasted(into whole: MaskPixels) -> MaskPixels {
        var result = whole
        for row in 0..<region.height {
            for column in 0..<region.width where after[row * region.width + column] != before[row * region.width + column] {
                result.pixels[(region.y + row) * whole.width + region.x + column] = after[row * region.width + column]
            }
        }
        return result
    }
}
