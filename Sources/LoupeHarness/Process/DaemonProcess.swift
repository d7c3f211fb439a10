import Foundation
import LoupeDaemon
import LoupeLab

/// A `loupe run` child process on a lab, and reads of its log.
///
/// Foundation starts the child in its own process group, so a Ctrl-C in the terminal reaches
/// only this process, which then stops the daemon with one SIGTERM: a second signal would make
/// the daemon exit without finishing its running work.
package final class DaemonProcess {
    private let process = Process()
    package let lab: String

    /// `log`: a file that receives the daemon's JSON log lines; nil discards them. `http`: serve
    /// the API on a free loopback port (its URL is then `url`); off by default, so that many
    /// daemons can run side by side.
    /// `executable`: the loupe binary, when this process is not it (a test).
    package init(lab: String, log: String? = nil, http: Bool = false, executable: String? = nil, environment: [String: String] = [:]) throws {
        self.lab = lab
        process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? Self.ownExecutable
        process.arguments = ["run", "--lab", lab] + (http ? ["--listen", "127.0.0.1:0"] : ["--no-http"])
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        if let log {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: log)
        } else {
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        }
        // Counted first: on a lab that has run a daemon before, only a new DaemonStarted is ours.
        let earlier = try workspace().events(type: .daemonStarted).count
        try process.run()
        // The status file names the HTTP address only once the server listens, after DaemonStarted.
        try waitFor { try $0.events(type: .daemonStarted).count > earlier && (!http || url != nil) }
    }

    /// The loupe binary this process runs from.
    static var ownExecutable: URL { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath() }

    package var isRunning: Bool { process.isRunning }

    package var processID: Int32 { process.processIdentifier }

    /// The exit status once the daemon has ended, waiting up to `limit` seconds; nil if it still runs.
    package func exitStatus(within limit: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(limit)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Where the daemon serves HTTP, from its status file; nil when it serves none.
    package var url: String? { DaemonStatus.read(lab: lab)?.url }

    /// The daemon's peak resident set since it started or since `resetPeakMemory()`, in MiB.
    package var peakResidentMiB: Double { statusMiB("VmHWM:") }

    /// The daemon's resident set now, in MiB.
    package var residentMiB: Double { statusMiB("VmRSS:") }

    /// The part of `residentMiB` that is the process's own memory, not mapped files (code,
    /// libraries): what a leak or a cache grows.
    package var anonymousResidentMiB: Double { statusMiB("RssAnon:") }

    private func statusMiB(_ field: String) -> Double {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix(field) } ?? ""
        return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
    }

    /// Starts a new peak for `peakResidentMiB` (Linux: writing 5 to clear_refs resets VmHWM).
    package func resetPeakMemory() {
        try? Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/\(process.processIdentifier)/clear_refs"))
    }

    package func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    /// The lab as it stands now, read-only: a new connection sees every event committed so far.
    package func workspace() throws -> Workspace { try Workspace(at: lab, readOnly: true) }

    /// Polls until `condition` holds; gives up at `limit`, when the daemon has exited, or on Ctrl-C.
    /// `every`: seconds between two polls; longer for a condition that costs the daemon's cores.
    package func waitFor(limit: TimeInterval = 600, every: TimeInterval = 0.02, _ condition: (Workspace) throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if try condition(try workspace()) { return }
            try checkAlive()
            usleep(UInt32(every * 1_000_000))
        }
        throw HarnessError("the daemon did not get there within \(Int(limit)) s")
    }

    package func checkAlive() throws {
        if Interruption.requested { throw Interruption() }
        guard process.isRunning else {
            throw HarnessError("the daemon exited with status \(process.terminationStatus)")
        }
    }

    /// When each ImageIngested event named `prefix...` was appended, once `expecting` of them
    /// are in the log (or the wait gives up and returns those seen).
    package func ingestedTimes(prefix: String, expecting: Int) throws -> [String: Date] {
        var times: [String: Date] = [:]
        let deadline = Date().addingTimeInterval(600)
        repeat {
            times = [:]
            try workspace().forEachEvent(type: .imageIngested) { row in
                guard case .imageIngested(let e) = try row.decoded(), e.originalName.hasPrefix(prefix), let at = row.date else { return }
                times[e.originalName] = at
            }
            if times.count >= expecting { break }
            usleep(50_000)
        } while Date() < deadline
        return times
    }
}

extension EventRow {
    /// When the event was appended, from its `at`; nil if that does not parse.
    package var date: Date? {
        try? Date(at, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
