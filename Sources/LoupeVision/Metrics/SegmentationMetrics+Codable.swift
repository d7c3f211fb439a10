/// Encodes the derived scores next to the counts, so event payloads read without recomputing;
/// decoding trusts only the counts and the AUC.
extension SegmentationMetrics: Codable {
    private enum CodingKeys: String, CodingKey {
        case truePositives, falsePositives, trueNegatives, falseNegatives, auc
        case f1, sensitivity, specificity, accuracy
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            truePositives: try values.decode(Int.self, forKey: .truePositives),
            falsePositives: try values.decode(Int.self, forKey: .falsePositives),
            trueNegatives: try values.decode(Int.self, forKey: .trueNegatives),
            falseNegatives: try values.decode(Int.self, forKey: .falseNegatives),
            auc: try values.decode(Double.self, forKey: .auc))
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(truePositives, forKey: .truePositives)
        try values.encode(falsePositives, forKey: .falsePositives)
        try values.encode(trueNegatives, forKey: .trueNegatives)
        try values.encode(falseNegatives, forKey: .falseNegatives)
        try values.encode(auc, forKey: .auc)
        try values.encode(f1, forKey: .f1)
        try values.encode(sensitivity, forKey: .sensitivity)
        try values.encode(specificity, forKey: .specificity)
        try values.encode(accuracy, forKey: .accuracy)
    }
}
