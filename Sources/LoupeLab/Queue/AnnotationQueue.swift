import Crypto
import LoupeLedger

extension Workspace {
    /// Images waiting for an expert, in the order an annotator should take them.
    ///
    /// - uncertainty: predicted images, most uncertain first, then unpredicted ones oldest first;
    /// - fifo: oldest first;
    /// - random(seed): a fixed shuffle, by SHA-256 of the seed and the image's hash, so an image
    ///   keeps its place as others arrive.
    package func annotationQueue(strategy: QueueStrategy? = nil) throws -> [ImageRecord] {
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

extension Workspace {
    /// The first `limit` images of the queue outside `excluded` (images claimed by another
    /// annotator), and how many it holds in all. For the strategies SQL can order, only those
    /// rows are read: a page polling the queue of a 10,000-image lab that a sweep keeps
    /// changing would otherwise order the whole lab on every request.
    package func annotationQueue(strategy: QueueStrategy? = nil, limit: Int, excluding excluded: Set<String>) throws -> (images: [ImageRecord], total: Int) {
        let strategy = strategy ?? settings.queueStrategy
        guard let order = strategy.waitingOrder else {
            let open = try annotationQueue(strategy: strategy).filter { !excluded.contains($0.sha) }
            return (Array(open.prefix(limit)), open.count)
        }
        let images = try projections.waitingImages(.all, order: order, limit: limit + excluded.count).filter { !excluded.contains($0.sha) }
        let counts = try projections.countsByState()
        let excludedWaiting = try excluded.filter { try projections.image(sha: $0).map { $0.state != .corrected } ?? false }.count
        return (Array(images.prefix(limit)), (counts[.pending] ?? 0) + (counts[.predicted] ?? 0) - excludedWaiting)
    }
}

extension QueueStrategy {
    /// The strategy's order when SQL can give it; nil for random, a shuffle only Swift computes.
    var waitingOrder: WaitingOrder? {
        switch self {
        case .fifo: .oldest
        case .uncertainty: .mostUncertain
        case .random: nil
        }
    }
}
