import Foundation

/// Reads a Server-Sent Events stream with curl (which prints it as it arrives) until an event
/// with id `until` came, or 30 s passed.
enum SSE {
    struct Event: Equatable {
        var id: Int
        var event: String
        var data: String
    }

    static func read(url: String, lastEventID: Int, until last: Int) throws -> [Event] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-sN", "--max-time", "30", "-H", "Last-Event-ID: \(lastEventID)", url]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var text = ""
        var events: [Event] = []
        let descriptor = output.fileHandleForReading.fileDescriptor
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while events.last?.id != last {
            let count = Foundation.read(descriptor, &buffer, buffer.count)
            if count <= 0 { break }
            text += String(decoding: buffer[..<count], as: UTF8.self)
            events = parse(text)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return events
    }

    static func parse(_ text: String) -> [Event] {
        var events: [Event] = []
        for block in text.components(separatedBy: "\n\n") {
            var event = Event(id: -1, event: "", data: "")
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { event.id = Int(line.dropFirst(4)) ?? -1 }
                if line.hasPrefix("event: ") { event.event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { event.data = String(line.dropFirst(6)) }
            }
            if event.id >= 0 { events.append(event) }
        }
        return events
    }
}
