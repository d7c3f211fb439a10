import Foundation

extension DurableFile {
    /// The names in `folder` of temporary files that a writer left behind: a crash between
    /// creating one and renaming it. A file whose writer is still running is not a leftover.
    package static func leftovers(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { name in
            guard let pid = writer(ofTemporary: name) else { return false }
            return kill(pid, 0) != 0 && errno == ESRCH
        }.sorted()
    }

    /// The process id in `.NAME-N.PID.tmp` (or `.NAME.PID.tmp`, as older writers named them); nil for any other name.
    static func writer(ofTemporary name: String) -> pid_t? {
        guard name.hasPrefix("."), name.hasSuffix(temporarySuffix) else { return nil }
        let stem = name.dropLast(temporarySuffix.count)
        guard let dot = stem.lastIndex(of: "."), dot > stem.startIndex else { return nil }
        return pid_t(stem[stem.index(after: dot)...])
    }
}
