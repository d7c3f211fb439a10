import Foundation

/// The process's open-file limit. Every connection, event stream and reader holds descriptors;
/// the soft limit Debian starts processes with (1024) is reached by a few hundred clients,
/// after which the daemon cannot open its own files. Raised to the hard limit at start, and
/// the server's connection cap is kept below what it allows.
enum DescriptorLimit {
    /// Raises the soft limit to the hard one; returns the limit now in force.
    @discardableResult
    static func raise() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: min(limit.rlim_cur, rlim_t(Int32.max)))
    }

    /// Connections the server may hold: the setting, but never more than half the descriptors,
    /// so files, the database and the model always have the other half.
    static func connections(setting: Int, descriptors: Int) -> Int {
        max(4, min(setting, descriptors / 2))
    }
}
