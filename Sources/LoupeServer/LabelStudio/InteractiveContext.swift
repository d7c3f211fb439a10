import LoupeLab

/// `params.context` of a `/ls/predict` call, which Label Studio 1.21 sends when it relays an
/// interactive tool (the page's smart tools, through `POST /api/ml/{id}/interactive-annotating`
/// with `{"task": ID, "context": {"result": [...]}}`): the regions the annotator just placed.
/// Loupe reads the keypoints among them as hints; other regions are ignored.
///
///     {"result": [{"type": "keypointlabels", "original_width": 700, "original_height": 605,
///                  "is_positive": true, "value": {"x": 45.2, "y": 33.1, "keypointlabels": ["Vessel"]}}]}
struct InteractiveContext: Decodable, Sendable {
    let result: [Region]?

    struct Region: Decodable, Sendable {
        let type: String?
        /// False for a negative point (Alt-click in Label Studio's smart keypoint tool).
        let isPositive: Bool?
        let value: Value?

        struct Value: Decodable, Sendable {
            /// Percent of the image's width and height, as every Label Studio region.
            let x: Double?
            let y: Double?
            let keypointlabels: [String]?
        }

        enum CodingKeys: String, CodingKey { case type, isPositive = "is_positive", value }
    }

    /// The keypoints as clicks on a `width` x `height` image: background when the point is
    /// negative or its label says so ("Background", "No vessel"), vessel otherwise. Points
    /// outside the image are kept outside, so the hint refuses them by name.
    func clicks(width: Int, height: Int) -> [Click] {
        (result ?? []).compactMap { region in
            guard region.type?.lowercased() == "keypointlabels", let x = region.value?.x, let y = region.value?.y,
                  x.isFinite, y.isFinite, abs(x) <= 1000, abs(y) <= 1000 else { return nil }
            let labels = (region.value?.keypointlabels ?? []).map { $0.lowercased() }
            let negative = region.isPositive == false || labels.contains { $0.contains("background") || $0.contains("no vessel") }
            return Click(x: Int((x / 100 * Double(width)).rounded(.down)), y: Int((y / 100 * Double(height)).rounded(.down)),
                         kind: negative ? .background : .vessel)
        }
    }
}

/// `params` of a `/ls/predict` call: Label Studio sends the project's task-data credentials
/// here too, which Loupe never reads.
struct PredictParams: Decodable, Sendable {
    let context: InteractiveContext?
}
