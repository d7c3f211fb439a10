import LoupeLedger

/// A file name Loupe can write beside others: printable, and short enough that
/// `NAME.reason.txt` or `NAME.prob.png` still fits the 255-byte limit of one path component.
package enum SafeName {
    static let maxBytes = 200

    package static func make(_ name: String) -> String {
        let printable = !name.unicodeScalars.contains(where: isControl) && !name.contains("/")
        if printable && name.utf8.count <= maxBytes { return name }
        var kept = ""
        for scalar in name.unicodeScalars {
            let next = isControl(scalar) || scalar == "/" ? "_" : scalar
            guard kept.utf8.count + String(next).utf8.count <= 100 else { break }
            kept.unicodeScalars.append(next)
        }
        return "\(kept)-\(ObjectStore.sha256(Array(name.utf8)).prefix(12))"
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
