import Foundation

/// A full (or read-only) disk for tests of a real `loupe run`, which cannot mount a small
/// filesystem without root: while the file named by `LOUPE_FAULT_OBJECT_WRITES` exists, every
/// new object fails to be written with the error named in it (`ENOSPC`, the default, or
/// `EROFS`). Unset, as in production, it costs one environment lookup per process.
enum InjectedWriteFault {
    static let variable = "LOUPE_FAULT_OBJECT_WRITES"
    private static let flag = ProcessInfo.processInfo.environment[variable]
    private static let codes: [String: Int32] = ["ENOSPC": ENOSPC, "EROFS": EROFS]

    static func check(writing path: String) throws {
        guard let flag, let named = FileManager.default.contents(atPath: flag) else { return }
        let name = String(decoding: named, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        errno = codes[name] ?? ENOSPC
        throw DurableFile.posixError("write \(path) (\(variable))")
    }
}
