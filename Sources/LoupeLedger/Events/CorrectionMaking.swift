/// How a mask was made in the page: the hints the expert gave, the model that answered them,
/// the strokes drawn by hand, and where the saved mask's pixels came from. A correction
/// dropped into corrections/ or sent as a bare PNG has none.
package struct CorrectionMaking: Codable, Sendable, Equatable {
    /// Every click the expert's mask still holds, in the order made.
    package var clicks: [RecordedClick]
    /// The model that answered the clicks; nil without clicks.
    package var hintModel: String?
    /// Brush, eraser and polyline strokes, in the order drawn (at most `maxStrokes`).
    package var strokes: [RecordedStroke]
    /// The hint model's whole-image prediction under every click, recomputed when the mask
    /// was taken and stored by SHA-256; nil without clicks.
    package var hintedMask: String?
    /// Where the saved mask's pixels came from.
    package var pixels: PixelOrigins?

    /// A page keeps at most this many strokes, each of at most `maxPointsPerStroke` points:
    /// the audit stays a few hundred kilobytes whatever the expert did.
    package static let maxStrokes = 1000
    /// The tools whose strokes are recorded; the page's erasing polyline is "polyline-erase".
    package static let strokeTools = ["brush", "eraser", "polyline", "polyline-erase"]
    package static let maxPointsPerStroke = 500

    package init(clicks: [RecordedClick], hintModel: String?, strokes: [RecordedStroke], hintedMask: String? = nil, pixels: PixelOrigins? = nil) {
        self.clicks = clicks
        self.hintModel = hintModel
        self.strokes = strokes
        self.hintedMask = hintedMask
        self.pixels = pixels
    }
}

/// A hint as recorded: the pixel and "vessel" or "background".
package struct RecordedClick: Codable, Sendable, Equatable {
    package var x: Int
    package var y: Int
    package var kind: String

    package init(x: Int, y: Int, kind: String) {
        self.x = x
        self.y = y
        self.kind = kind
    }
}

/// A stroke of the hand: the tool (one of `CorrectionMaking.strokeTools`), its size in pixels and
/// the points it passed through, as x0, y0, x1, y1, ... in image pixels.
package struct RecordedStroke: Codable, Sendable, Equatable {
    package var tool: String
    package var size: Int
    package var points: [Int]

    package init(tool: String, size: Int, points: [Int]) {
        self.tool = tool
        self.size = size
        self.points = points
    }
}

/// Every pixel of a saved mask, by where its value came from: as the model predicted without
/// clicks (`model`), changed by the hints and kept (`hints`), or set by hand against the
/// hinted mask (`hand`). The three add up to the image's pixels.
package struct PixelOrigins: Codable, Sendable, Equatable {
    package var model: Int
    package var hints: Int
    package var hand: Int

    package init(model: Int, hints: Int, hand: Int) {
        self.model = model
        self.hints = hints
        self.hand = hand
    }
}
