import Foundation
import LoupeVision

/// Images in a folder matched to their labels (and field-of-view masks) by stem, the part of the
/// file name before the first dot: `im0001.png` <-> `im0001.ah.png` <-> `im0001.fov.png`.
package struct LabelledImages {
    package struct Entry {
        package let id: String
        package let imagePath: String
        package let labelPath: String?
        package let fovPath: String?
    }

    package let entries: [Entry]

    static let imageExtensions: Set<String> = ["png", "ppm", "pgm", "pnm", "gz"]

    package init(images: String, labels: String?, fov: String?, ids: [String]?) throws {
        let imageFiles = try Self.files(in: images)
        let labelFiles = try labels.map(Self.files) ?? [:]
        let fovFiles = try fov.map(Self.files) ?? [:]
        let wanted = ids ?? imageFiles.keys.sorted()
        entries = try wanted.map { id in
            guard let image = imageFiles[id] else { throw HarnessError("no image with id \(id) in \(images)") }
            if labels != nil && labelFiles[id] == nil { throw HarnessError("no label for \(id) in \(labels!)") }
            if fov != nil && fovFiles[id] == nil { throw HarnessError("no field-of-view mask for \(id) in \(fov!)") }
            return Entry(id: id, imagePath: image, labelPath: labelFiles[id], fovPath: fovFiles[id])
        }
    }

    package static func stem(_ name: String) -> String {
        String(name.prefix { $0 != "." })
    }

    /// Stem -> path for the image files in a folder (dot-files skipped).
    package static func files(in directory: String) throws -> [String: String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        var byStem: [String: String] = [:]
        for name in names.sorted() where !name.hasPrefix(".") {
            guard let ext = name.split(separator: ".").last, imageExtensions.contains(ext.lowercased()) else { continue }
            byStem[stem(name)] = byStem[stem(name)] ?? (directory as NSString).appendingPathComponent(name)
        }
        return byStem
    }

    package func trainingSamples() throws -> [TrainingSample] {
        try entries.map { entry in
            TrainingSample(
                image: try ImageCodec.decode(contentsOf: entry.imagePath),
                mask: try ImageCodec.decode(contentsOf: entry.labelPath!).luminance,
                fov: try entry.fovPath.map { try ImageCodec.decode(contentsOf: $0).luminance })
        }
    }
}

package func parseIDs(_ list: String?) -> [String]? {
    list.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
}

package func writeFile(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
}

package func readFile(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Peak resident set size of this process in MiB (Linux reports ru_maxrss in KiB).
package func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
