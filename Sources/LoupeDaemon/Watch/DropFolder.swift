import Foundation

/// One drop folder (inbox/ or corrections/) and what the daemon has seen of it.
///
/// A file is handed out once it is stable: size and mtime unchanged for the settle time, so a
/// file still being copied in is not read half-written. A file whose mtime is already older
/// than the settle time when first seen (written elsewhere, then renamed in) has been unchanged
/// that long by its own clock and is taken at once. Dot-files and *.tmp / *.part names are
/// ignored until renamed; subfolders are ignored.
struct DropFolder {
    struct Observation: Equatable {
        var size: Int
        var modified: Int
        var unchangedSince: UInt64
    }

    let path: String
    private(set) var observed: [String: Observation] = [:]

    init(path: String) {
        self.path = path
    }

    static func isCandidate(_ name: String) -> Bool {
        !name.hasPrefix(".") && !name.hasSuffix(".tmp") && !name.hasSuffix(".part")
    }

    /// Re-lists the folder and returns the names that have been stable for `settle` ms,
    /// in name order. `now` is the loop's clock in milliseconds.
    mutating func stableFiles(now: UInt64, settle: UInt64, wallClock: Date = Date()) -> [String] {
        let wallNanoseconds = Int(wallClock.timeIntervalSince1970 * 1e9)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        var current: [String: Observation] = [:]
        var ready: [String] = []
        for name in names where Self.isCandidate(name) {
            var info = stat()
            guard lstat("\(path)/\(name)", &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            let size = Int(info.st_size)
            let modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
            var observation = Observation(size: size, modified: modified, unchangedSince: now)
            if let previous = observed[name], previous.size == size, previous.modified == modified {
                observation.unchangedSince = previous.unchangedSince
            }
            current[name] = observation
            let age = UInt64(max(0, wallNanoseconds - modified) / 1_000_000)
            if age >= settle || now >= observation.unchangedSince + settle { ready.append(name) }
        }
        observed = current
        return ready.sorted()
    }

    /// Earliest loop time at which a file seen but not yet stable will be, if any.
    func nextSettle(settle: UInt64) -> UInt64? {
        observed.values.map { $0.unchangedSince + settle }.min()
    }

    /// Whether any candidate file is waiting here, stable or not.
    var isEmpty: Bool { observed.isEmpty }
}
