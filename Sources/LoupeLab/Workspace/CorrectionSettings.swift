import LoupeVision

/// `corrections` in loupe.json: what to do when an image has masks from several annotators.
package struct CorrectionSettings: Codable, Sendable, Equatable {
    /// Which of an image's corrections a training learns from. Every correction stays in the
    /// log either way; this only picks the one the plan uses.
    package var train = TrainOn.latest

    package enum TrainOn: String, Codable, Sendable, Equatable, CaseIterable {
        /// The newest mask: a later annotator refines an earlier one.
        case latest
        /// The first mask: a reference annotator's, with later ones kept to measure agreement.
        case first

        package init(from decoder: Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let value = TrainOn(rawValue: text) else {
                throw SettingsError("corrections.train '\(text)' is not one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self = value
        }
    }

    package init() {}

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case train
    }

    package init(from decoder: Decoder) throws {
        try UnknownKeys.refuse(in: decoder, allowed: CodingKeys.self, context: "corrections")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        train = try container.decodeIfPresent(TrainOn.self, forKey: .train) ?? train
    }
}
