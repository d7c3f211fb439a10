import LoupeLab

/// One expert's mask for an image, as `/images/{id}` lists them, oldest first.
struct CorrectionView: Encodable {
    let seq: Int
    let at: String
    let annotator: String?
    let mask: String
    let basedOnModel: String?
    let pixelsChanged: Int?

    init?(_ row: EventRow) {
        guard case .correctionAccepted(let event)? = try? row.decoded() else { return nil }
        seq = row.seq
        at = row.at
        annotator = event.annotator
        mask = event.mask
        basedOnModel = event.basedOnModel
        pixelsChanged = event.pixelsChanged
    }
}
