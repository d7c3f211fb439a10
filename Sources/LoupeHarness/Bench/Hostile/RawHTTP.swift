import Foundation

/// HTTP spoken by hand over a loopback socket, for what URLSession will not send: a body cut
/// short, a header of any size, a Host of any name, a server that trickles its answer.
package enum RawHTTP {
    /// Sends `bytes` to `port`, closes the writing side if asked, and returns what came back
    /// until the server closed or `seconds` passed.
    package static func exchange(port: Int, _ bytes: [UInt8], closeWriting: Bool = true, seconds: Double = 20) throws -> String {
        let socket = try connect(port: port)
        defer { close(socket) }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { break }
            sent += n
        }
        if closeWriting { shutdown(socket, Int32(SHUT_WR)) }
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(socket, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            received += buffer[0..<n]
        }
        return String(decoding: received, as: UTF8.self)
    }

    package static func connect(port: Int) throws -> Int32 {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw HarnessError("cannot connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
        return socket
    }

    /// A GET with any `Host`, closing after the answer.
    package static func get(_ path: String, host: String) -> [UInt8] {
        Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8)
    }

    /// The status code of a raw answer; 0 if there was none.
    package static func status(_ answer: String) -> Int {
        let parts = answer.split(separator: " ", maxSplits: 2)
        return parts.count >= 2 ? Int(parts[1]) ?? 0 : 0
    }
}

/// A loopback server that records every connection it gets and answers each with `answer`,
/// sent in `pieces` with `pause` seconds between them: a stand-in for an address a payload names.
package final class RecordingServer: @unchecked Sendable {
    package let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var requests: [String] = []

    package init(answer: [UInt8], pieces: Int = 1, pause: Double = 0) throws {
        let listener = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        listen(listener, 16)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                var buffer = [UInt8](repeating: 0, count: 65536)
                let n = recv(client, &buffer, buffer.count, 0)
                lock.withLock { requests.append(String(decoding: buffer[0..<max(0, n)], as: UTF8.self)) }
                let size = max(1, answer.count / pieces)
                for start in stride(from: 0, to: answer.count, by: size) {
                    let piece = Array(answer[start..<min(answer.count, start + size)])
                    _ = piece.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if pause > 0 { Thread.sleep(forTimeInterval: pause) }
                }
                close(client)
            }
        }
    }

    package var received: [String] { lock.withLock { requests } }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}
