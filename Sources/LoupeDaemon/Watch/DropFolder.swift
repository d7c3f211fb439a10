import Foundation

/// One drop folder (inbox/ or corrections/) and what the daemon has seen of it.
///
/// A file is handed out once it is stable: size and mtime unchanged for the settle time, so a
/// file still being copied in is not read half-written. A file whose mtime is already older
/// than the settle time when first seen (written elsewhere, then renamed in) has been unchanged
/// that long by its own clock and is taken at once. Dot-files and *.tmp / *.part names are
/// ignored until renamed. Every other entry is accounted for: a folder, link, FIFO, socket or
/// device (never opened) is handed out for refusal once stable, and a name that is not UTF-8
/// at once.
struct DropFolder {
    /// What one listing found ready, in name order.
    struct Listing: Equatable {
        var files: [String] = []
        /// Entries that are not regular files.
        var others: [String] = []
        /// Names that are not valid UTF-8, as their bytes.
        var undecodable: [[UInt8]] = []
    }

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

    /// Re-lists the folder and returns the entries that have been stable for `settle` ms.
    /// `now` is the loop's clock in milliseconds.
    mutating func scan(now: UInt64, settle: UInt64, wallClock: Date = Date()) -> Listing {
        let wallNanoseconds = Int(wallClock.timeIntervalSince1970 * 1e9)
        var current: [String: Observation] = [:]
        var listing = Listing()
        for entry in Self.entries(of: path) {
            guard let name = String(validating: entry, as: UTF8.self) else {
                listing.undecodable.append(entry)
                continue
            }
            guard Self.isCandidate(name) else { continue }
            var info = stat()
            guard lstat("\(path)/\(name)", &info) == 0 else { continue }
            let size = Int(info.st_size)
            let modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
            var observation = Observation(size: size, modified: modified, unchangedSince: now)
            if let previous = observed[name], previous.size == size, previous.modified == modified {
                observation.unchangedSince = previous.unchangedSince
            }
            current[name] = observation
            let age = UInt64(max(0, wallNanoseconds - modified) / 1_000_000)
            guard age >= settle || now >= observation.unchangedSince + settle else { continue }
            if info.st_mode & S_IFMT == S_IFREG {
                listing.files.append(name)
            } else {
                listing.others.append(name)
            }
        }
        observed = current
        listing.files.sort()
        listing.others.sort()
        return listing
    }

    /// The folder's entry names as bytes: FileManager would have to guess at names that are
    /// not UTF-8, and a guessed name opens nothing.
    private static func entries(of folder: String) -> [[UInt8]] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name != [UInt8(ascii: ".")], name != [UInt8(ascii: "."), UInt8(ascii: ".")] { names.append(name) }
        }
        return names
    }

    /// Earliest loop time at which a file seen but not yet stable will be, if any.
    func nextSettle(settle: UInt64) -> UInt64? {
        observed.values.map { $0.unchangedSince + settle }.min()
    }

    /// Whether any candidate file is waiting here, stable or not.
    var isEmpty: Bool { observed.isEmpty }
}
