import LoupeLedger

/// Finds the ingested image a corrected mask belongs to, from its file name:
/// `im0001.png`, `im0001.ah.png` (annotator "ah"), `im0001_mask.png`, or a SHA-256 prefix.
package struct CorrectionMatch: Sendable, Equatable {
    package var image: ImageRecord
    package var annotator: String?
    /// Filled in by `Workspace.matchCorrection`: the mask to measure agreement with.
    var previous: PreviousCorrection?
}

enum CorrectionMatcher {
    static let imageExtensions: Set<String> = ["png", "ppm", "pgm", "pnm", "gz", "jpg", "jpeg", "tif", "tiff"]
    static let maskSuffixes = ["_mask", "-mask", ".mask", "_label", "-label"]

    /// `explicit` (an image name, stem or SHA prefix) wins over the file name.
    static func match(fileName: String, explicit: String?, in projections: Projections) throws -> Result<CorrectionMatch, Refusal> {
        if let explicit {
            let found = try lookup(explicit, in: projections)
            return decide(found, annotator: nil, describing: "--image \(explicit)")
        }
        var stem = fileName
        while let dot = stem.lastIndex(of: "."), imageExtensions.contains(stem[stem.index(after: dot)...].lowercased()) {
            stem = String(stem[..<dot])
        }
        for suffix in maskSuffixes where stem.hasSuffix(suffix) {
            stem = String(stem.dropLast(suffix.count))
        }
        var tried = [stem]
        var found = try lookup(stem, in: projections)
        var annotator: String?
        if found.isEmpty, let dot = stem.lastIndex(of: ".") {
            annotator = String(stem[stem.index(after: dot)...])
            tried.append(String(stem[..<dot]))
            found = try lookup(tried[1], in: projections)
        }
        if found.isEmpty {
            return .failure(Refusal(sha: "", reason: unmatched(fileName, tried: tried)))
        }
        return decide(found, annotator: annotator, describing: "'\(fileName)'")
    }

    /// Says what was looked for and how a mask may be named, so the fix is a rename.
    private static func unmatched(_ fileName: String, tried: [String]) -> String {
        let names = tried.map { "'\($0)'" }.joined(separator: " and ")
        return "no ingested image matches '\(fileName)' (tried the \(tried.count == 1 ? "name" : "names") \(names)); name a mask NAME.png, "
            + "NAME.ANNOTATOR.png or NAME_mask.png after its image NAME, or after a SHA-256 prefix of the image "
            + "(at least 8 hex digits), or pass --image"
    }

    private static func lookup(_ key: String, in projections: Projections) throws -> [ImageRecord] {
        let byName = try projections.images(stem: key)
        if !byName.isEmpty { return byName }
        let isHex = key.count >= 8 && key.allSatisfy(\.isHexDigit)
        return isHex ? try projections.images(shaPrefix: key) : []
    }

    private static func decide(_ found: [ImageRecord], annotator: String?, describing what: String) -> Result<CorrectionMatch, Refusal> {
        switch found.count {
        case 1:
            return .success(CorrectionMatch(image: found[0], annotator: annotator))
        case 0:
            return .failure(Refusal(sha: "", reason: "no ingested image matches \(what)"))
        default:
            let names = found.prefix(4).map { "\($0.name) (\($0.sha.prefix(12)))" }.joined(separator: ", ")
            return .failure(Refusal(sha: "", reason: "\(what) matches \(found.count) images: \(names); name the file by SHA prefix or pass --image"))
        }
    }
}
