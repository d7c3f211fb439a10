import Foundation
import LoupeVision

/// A labelled dataset laid out as ../shared/datasets/stare is: `images/ID.png`,
/// `labels-ANNOTATOR/ID.ANNOTATOR.png` and, optionally, `FOV/ID.fov.png`.
package final class SimulationDataset {
    package let root: String
    let annotator: String
    let fovFolder: String?
    /// Image ids (file stems), sorted: the order the images are dropped into the inbox.
    package let ids: [String]
    private var truths: [String: (label: RasterImage, fov: RasterImage)] = [:]

    package init(root: String, annotator: String, fovFolder: String?) throws {
        self.root = root
        self.annotator = annotator
        self.fovFolder = fovFolder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/images")) ?? []
        ids = names.filter { $0.hasSuffix(".png") && !$0.hasPrefix(".") }.map { String($0.dropLast(4)) }.sorted()
        guard !ids.isEmpty else { throw HarnessError("no images/*.png in \(root)") }
        for id in ids {
            for path in [labelPath(id)] + (fovFolder == nil ? [] : [fovPath(id)]) where !FileManager.default.fileExists(atPath: path) {
                throw HarnessError("\(id): missing \(path)")
            }
        }
    }

    func imagePath(_ id: String) -> String { "\(root)/images/\(id).png" }
    func labelPath(_ id: String) -> String { "\(root)/labels-\(annotator)/\(id).\(annotator).png" }
    private func fovPath(_ id: String) -> String { "\(root)/\(fovFolder ?? "")/\(id).fov.png" }

    /// The ground truth of `id` and the field of view it is scored in (the dataset's mask, or
    /// one estimated from the photograph), decoded once.
    func truth(_ id: String) throws -> (label: RasterImage, fov: RasterImage) {
        if let known = truths[id] { return known }
        let label = try ImageCodec.decode(contentsOf: labelPath(id))
        let fov = try fovFolder == nil
            ? estimateFOV(image: ImageCodec.decode(contentsOf: imagePath(id)))
            : ImageCodec.decode(contentsOf: fovPath(id))
        truths[id] = (label, fov)
        return (label, fov)
    }

    /// Pixel counts of `mask` (nil: an empty mask, i.e. drawing from scratch) against the truth.
    func score(_ id: String, mask: RasterImage?) throws -> SegmentationMetrics {
        let (label, fov) = try truth(id)
        let drawn = mask ?? RasterImage(width: label.width, height: label.height, channels: 1,
                                        pixels: [UInt8](repeating: 0, count: label.width * label.height))
        return SegmentationMetrics(mask: drawn, label: label, fov: fov)
    }

    /// The centerline effort of correcting `mask` (nil: drawing from scratch) into the truth.
    func centerline(_ id: String, mask: RasterImage?) throws -> CenterlineEffort {
        let (label, fov) = try truth(id)
        let truth = PixelMask(label)
        return CenterlineEffort(
            prediction: mask.map { PixelMask($0) } ?? PixelMask(width: truth.width, height: truth.height), label: truth, fov: PixelMask(fov))
    }
}
