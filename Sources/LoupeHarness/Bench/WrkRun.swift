import Foundation

/// One run of `wrk` (Debian's package) against a URL, and what its `--latency` report says.
struct WrkRun {
    var requestsPerSecond = 0.0
    var p50 = ""
    var p99 = ""
    var errors = 0
    var requests = 0

    static func run(url: String, connections: Int, seconds: Int) throws -> WrkRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["wrk", "-t2", "-c\(connections)", "-d\(seconds)s", "--latency", url]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch {
            throw HarnessError("cannot run wrk (apt-get install wrk): \(error)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw HarnessError("wrk failed: \(text)") }
        return parse(text)
    }

    /// Reads the lines `50%  1.23ms`, `99%  4.56ms`, `Requests/sec: ...`, `N requests in`,
    /// `Non-2xx or 3xx responses: N` and `Socket errors: connect A, read B, write C, timeout D`.
    static func parse(_ text: String) -> WrkRun {
        var run = WrkRun()
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("50%"), words.count > 1 { run.p50 = String(words[1]) }
            if line.hasPrefix("99%"), words.count > 1 { run.p99 = String(words[1]) }
            if line.hasPrefix("Requests/sec:"), words.count > 1 { run.requestsPerSecond = Double(words[1]) ?? 0 }
            if line.contains("requests in"), let first = words.first { run.requests = Int(first) ?? 0 }
            if line.hasPrefix("Non-2xx or 3xx responses:"), let last = words.last { run.errors += Int(last) ?? 0 }
            if line.hasPrefix("Socket errors:") {
                run.errors += line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.reduce(0, +)
            }
        }
        return run
    }
}
