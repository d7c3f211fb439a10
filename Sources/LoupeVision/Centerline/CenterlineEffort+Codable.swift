/// Encodes the share and the correction length beside the measured lengths, so simulate.json
/// and `loupe eval --json` read without recomputing; decoding trusts only the measurements.
extension CenterlineEffort: Codable {
    private enum CodingKeys: String, CodingKey {
        case drawingLength, missedLength, falseLength, strokes, missedStrokes, falseStrokes
        case correctionLength, share
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            drawingLength: try values.decode(Double.self, forKey: .drawingLength),
            missedLength: try values.decode(Double.self, forKey: .missedLength),
            falseLength: try values.decode(Double.self, forKey: .falseLength),
            strokes: try values.decode(Int.self, forKey: .strokes),
            missedStrokes: try values.decode(Int.self, forKey: .missedStrokes),
            falseStrokes: try values.decode(Int.self, forKey: .falseStrokes))
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(drawingLength, forKey: .drawingLength)
        try values.encode(missedLength, forKey: .missedLength)
        try values.encode(falseLength, forKey: .falseLength)
        try values.encode(strokes, forKey: .strokes)
        try values.encode(missedStrokes, forKey: .missedStrokes)
        try values.encode(falseStrokes, forKey: .falseStrokes)
        try values.encode(correctionLength, forKey: .correctionLength)
        try values.encode(share, forKey: .share)
    }
}
