import Foundation

/// Whether a host name resolves to an address that belongs to this machine or its network:
/// what a task's image URL must not point at, or a payload could make Loupe read the lab's own
/// server, a cloud metadata service or a printer's admin page.
enum NetworkAddress {
    /// The first loopback, link-local, private or unspecified address `host` resolves to,
    /// written out; nil when all are public. A name that does not resolve is nil too: the
    /// fetch then fails on its own.
    static func firstLocal(host: String) -> String? {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(bare, nil, &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let address = current.pointee.ai_addr, let local = local(address) { return local }
            entry = current.pointee.ai_next
        }
        return nil
    }

    private static func local(_ address: UnsafeMutablePointer<sockaddr>) -> String? {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            let bytes = withUnsafeBytes(of: v4.s_addr) { Array($0) }
            return isLocal(v4: bytes) ? bytes.map(String.init).joined(separator: ".") : nil
        case AF_INET6:
            let v6 = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            return isLocal(v6: bytes) ? "[\(bytes.map { String(format: "%02x", $0) }.joined())]" : nil
        default:
            return nil
        }
    }

    /// 0/8, 10/8, 127/8, 169.254/16, 172.16/12, 192.168/16, 100.64/10 (carrier NAT).
    static func isLocal(v4 b: [UInt8]) -> Bool {
        b[0] == 0 || b[0] == 10 || b[0] == 127 || (b[0] == 169 && b[1] == 254) || (b[0] == 172 && (16...31).contains(b[1]))
            || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && (64...127).contains(b[1]))
    }

    /// ::, ::1, fe80::/10, fc00::/7, and IPv4-mapped addresses by their IPv4 rule.
    static func isLocal(v6 b: [UInt8]) -> Bool {
        if b[0..<15].allSatisfy({ $0 == 0 }) && (b[15] == 0 || b[15] == 1) { return true }
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return true }
        if b[0] & 0xfe == 0xfc { return true }
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return isLocal(v4: Array(b[12..<16])) }
        return false
    }
}
