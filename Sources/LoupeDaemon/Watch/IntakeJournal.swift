import Foundation
import LoupeLab

/// `intake.journal` in the lab: a line when a dropped file goes to be read and a line when
/// its outcome is recorded. A file still open in the journal when the daemon starts was being
/// read when the process died; one that was so twice is quarantined instead of read a third
/// time, so a file that kills the daemon (out of memory, a decoder crash) cannot make every
/// restart die again.
///
/// Appends are not fsynced: the journal guards against the process dying, and the page cache
/// outlives the process.
final class IntakeJournal {
    struct Entry: Codable, Equatable {
        var path: String
        var identity: FileIdentity?
        /// How many times the daemon died while this file was being read, before this read.
        var deaths: Int
        var done: Bool
    }

    static let fileName = "intake.journal"
    static let deathsBeforeQuarantine = 2

    private let path: String
    private let fd: Int32
    /// Deaths carried over from the last run for files not yet read again.
    private var carried: [String: Int]

    /// Opens the journal of `lab`, and returns with it the files that were being read when the
    /// process died, with their death count. The journal then starts empty.
    init(lab: String) throws {
        path = "\(lab)/\(Self.fileName)"
        let open = Self.unfinished(in: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
        carried = [:]
        for entry in open where entry.identity == FileIdentity.current(at: entry.path) {
            carried[entry.path] = entry.deaths + 1
        }
        fd = Foundation.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DaemonError.cannotLock(path, String(cString: strerror(errno))) }
    }

    deinit {
        close(fd)
    }

    /// Files the last runs died reading at least `deathsBeforeQuarantine` times.
    var toQuarantine: [(path: String, deaths: Int)] {
        carried.filter { $0.value >= Self.deathsBeforeQuarantine }.map { ($0.key, $0.value) }.sorted { $0.path < $1.path }
    }

    func started(_ file: String) {
        write(Entry(path: file, identity: FileIdentity.current(at: file), deaths: carried[file] ?? 0, done: false))
    }

    func finished(_ file: String) {
        carried[file] = nil
        write(Entry(path: file, identity: nil, deaths: 0, done: true))
    }

    private func write(_ entry: Entry) {
        guard var line = try? JSONEncoder().encode(entry) else { return }
        line.append(0x0A)
        _ = line.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
    }

    /// The entries started and not finished, last start of each path.
    static func unfinished(in text: String) -> [Entry] {
        var open: [String: Entry] = [:]
        for line in text.split(separator: "\n") {
            guard let entry = try? JSONDecoder().decode(Entry.self, from: Data(line.utf8)) else { continue }
            if entry.done { open[entry.path] = nil } else { open[entry.path] = entry }
        }
        return open.values.sorted { $0.path < $1.path }
    }
}
