import LoupeLedger

extension Workspace {
    /// Checks what a page says about how it made a mask of `image`, before the mask is
    /// examined: clicks inside the image and of a known kind, a hint model the lab trained with
    /// guidance, strokes within the bounds. Cheap; the hinted mask is recomputed later, off the loop.
    func check(_ making: CorrectionMaking, image: ImageRecord) throws {
        func refuse(_ reason: String) -> CorrectionError { .badMaking(reason) }
        let clicks = try making.clicks.map { recorded -> Click in
            guard let kind = Click.Kind(rawValue: recorded.kind) else {
                throw refuse("a click's kind is vessel or background, not '\(EventRow.printable(String(recorded.kind.prefix(40))))'")
            }
            return Click(x: recorded.x, y: recorded.y, kind: kind)
        }
        if !clicks.isEmpty {
            do { try Self.check(clicks, newCount: clicks.count, width: image.width, height: image.height) } catch let error as HintError {
                throw refuse("clicks: \(error)")
            }
            guard let model = making.hintModel else { throw refuse("clicks need the hintModel that answered them") }
            guard try projections.models().contains(where: { $0.sha == model }) else { throw refuse("no model '\(EventRow.printable(String(model.prefix(80))))' was trained in this lab") }
            guard try weights(of: model).config.guidance else { throw refuse("model \(model.prefix(12)) takes no hints: it was trained without guidance") }
        }
        guard making.strokes.count <= CorrectionMaking.maxStrokes else {
            throw refuse("\(making.strokes.count) strokes: at most \(CorrectionMaking.maxStrokes) are recorded")
        }
        for stroke in making.strokes {
            guard CorrectionMaking.strokeTools.contains(stroke.tool) else {
                throw refuse("a stroke's tool is \(CorrectionMaking.strokeTools.joined(separator: ", ")), not '\(EventRow.printable(String(stroke.tool.prefix(40))))'")
            }
            guard (1...1024).contains(stroke.size) else { throw refuse("a stroke's size is 1 to 1024 pixels, not \(stroke.size)") }
            guard stroke.points.count.isMultiple(of: 2), (2...2 * CorrectionMaking.maxPointsPerStroke).contains(stroke.points.count) else {
                throw refuse("a stroke has 1 to \(CorrectionMaking.maxPointsPerStroke) points, as x, y pairs")
            }
            // A stroke may start or end a little beyond the edge; far beyond is no stroke on this image.
            let span = -1024...(max(image.width, image.height) + 1024)
            guard stroke.points.allSatisfy({ span.contains($0) }) else { throw refuse("a stroke lies far outside the image") }
        }
    }
}
