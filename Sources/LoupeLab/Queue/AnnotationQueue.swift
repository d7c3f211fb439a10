import Crypto
import LoupeLedger

extension Workspace {
    /// Images waiting for an expert, in the order an annotator should take them.
    ///
    /// - uncertainty: predicted images, most uncertain first, then unpredicted ones oldest first;
    /// - fifo: oldest first;
    /// - random(seed): a fixed shuffle, by SHA-256 of the seed and the image's hash, so an image
    ///   keeps its place as others arrive.
    public func annotationQueue(strategy: QueueStrategy? = nil) throws -> [ImageRecord] {
        let waiting = try projections.images().filter { $0.state != .corrected }
        switch strategy ?? settings.queueStrategy {
        case .fifo:
            return waiting
        case .uncertainty:
            return waiting.sorted { a, b in
                switch (a.uncertainty, b.uncertainty) {
                case (let x?, let y?) where x != y: x > y
                case (_?, nil): true
                case (nil, _?): false
                default: a.ingestedSeq < b.ingestedSeq
                }
            }
        case .random(let seed):
            let keyed = waiting.map { image in
                (image, Array(SHA256.hash(data: Array("\(seed):\(image.sha)".utf8))).hexString)
            }
            return keyed.sorted { $0.1 < $1.1 }.map(\.0)
        }
    }
}
