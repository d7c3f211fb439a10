import Foundation

/// Where the server listens: `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (loopback).
package struct ServerAddress: Sendable, Equatable, CustomStringConvertible {
    package static let defaultPort = 8417
    package let host: String
    package let port: Int

    package init(host: String = "127.0.0.1", port: Int = ServerAddress.defaultPort) {
        self.host = host
        self.port = port
    }

    package init(parsing text: String) throws {
        var host: Substring
        var portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ServerAddressError("'\(text)': an IPv6 address is written [ADDRESS]:PORT")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw ServerAddressError("'\(text)' is not HOST:PORT") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        if host.isEmpty { host = "127.0.0.1" }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ServerAddressError("'\(text)': the port must be a number from 0 to 65535 (0 picks a free one)")
        }
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || ".-:".contains($0) }) else {
            throw ServerAddressError("'\(text)': '\(host)' is not a host name or address")
        }
        self.init(host: String(host), port: port)
    }

    /// Only this machine can connect: the one case where a lab may go without tokens.
    package var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    var hostForURL: String { host.contains(":") ? "[\(host)]" : host }

    package var description: String { "\(hostForURL):\(port)" }
}

package struct ServerAddressError: Error, CustomStringConvertible {
    package let description: String

    init(_ description: String) {
        self.description = description
    }
}
