import LoupeLedger

extension Workspace {
    /// The image's newest prediction, with its mask and (when stored) probability map; nil
    /// before the first.
    package func latestPrediction(ofImage sha: String) throws -> PredictionMade? {
        try predictions(ofImage: sha).last
    }

    /// The model's newest prediction of the image, if it made one.
    package func prediction(ofImage sha: String, by model: String) throws -> PredictionMade? {
        try predictions(ofImage: sha).last { $0.model == model }
    }

    private func predictions(ofImage sha: String) throws -> [PredictionMade] {
        try ledger.events(inStream: "image-\(sha)", type: .predictionMade).compactMap { row in
            guard case .predictionMade(let made) = try row.decoded() else { return nil }
            return made
        }
    }
}
