import LoupeVision

/// A model's weights, loaded once and handed to prediction jobs: opaque to the layers above,
/// which know a model only by its SHA-256.
package struct ServingModel: Sendable {
    package let sha: String
    let weights: ModelWeights
}

extension Workspace {
    /// The promoted model in service, loaded; nil before the first promotion.
    package func servingModel() throws -> ServingModel? {
        guard let current = try projections.currentModel() else { return nil }
        return try model(current.sha)
    }

    /// The model in service now, reusing `loaded` when it still is, so its weights are read
    /// only when the serving model changed: a pin or roll-back changes it between trainings.
    package func servingModel(reusing loaded: ServingModel?) throws -> ServingModel? {
        guard let current = try projections.currentModel() else { return nil }
        if let loaded, loaded.sha == current.sha { return loaded }
        return try model(current.sha)
    }

    package func model(_ sha: String) throws -> ServingModel {
        ServingModel(sha: sha, weights: try weights(of: sha))
    }

    func weights(of model: String) throws -> ModelWeights {
        try ModelWeights(decoding: objects.read(model))
    }
}
