/// Everything the examination of a mask needs from the ledger, read on the ledger's thread
/// beforehand so that the examination itself touches only files and objects.
struct CorrectionTarget: Sendable, Equatable {
    var image: ImageRecord
    var annotator: String?
    /// The model whose prediction the expert started from, and that prediction's mask;
    /// nil: drawn without one.
    var basedOnModel: String?
    var basedOnMask: String?
    /// The image's latest earlier correction by another annotator, to measure agreement with.
    var previous: PreviousCorrection?
    /// How the page made the mask, checked; the examination adds the hinted mask and the
    /// pixels' origins.
    var making: CorrectionMaking?
}

/// Another annotator's mask of the same image. Annotators are told apart by name; two
/// corrections without a name are taken as the same (unnamed) source.
struct PreviousCorrection: Sendable, Equatable {
    var annotator: String?
    var mask: String
}
