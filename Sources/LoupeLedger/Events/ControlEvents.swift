/// An operator's action on training (request, pause, resume), with who took it: an
/// annotator's name, or nil from the command line or an open lab. Stream `controls`.
package struct OperatorAction: Codable, Sendable, Equatable {
    package var by: String?

    package init(by: String?) {
        self.by = by
    }
}

/// A model pinned into service, or the pin lifted. Stream `controls`. While a model is
/// pinned, trainings still run but their models are not promoted.
package struct ModelPin: Codable, Sendable, Equatable {
    package var model: String
    package var by: String?

    package init(model: String, by: String?) {
        self.model = model
        self.by = by
    }
}
