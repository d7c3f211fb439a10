import Foundation

/// The seq and hash of the log's last event, kept in a small file beside the database
/// (`loupe.head` beside `loupe.sqlite`). The chain proves that no row was changed; only a
/// copy of its head kept outside the database proves that no rows were cut from its end, or
/// that the whole database was not swapped for another.
///
/// Written after each committed append, so it can fall one append behind after a crash, never
/// ahead: the log must reach the anchor's seq and hold the anchor's hash there.
package struct HeadAnchor: Sendable, Equatable, CustomStringConvertible {
    package var seq: Int
    package var hash: [UInt8]

    package init(seq: Int, hash: [UInt8]) {
        self.seq = seq
        self.hash = hash
    }

    /// `loupe.head` for `loupe.sqlite`: the database's name with `.head` for its extension.
    package static func path(forDatabase database: String) -> String {
        let name = (database as NSString).lastPathComponent
        let stem = (name as NSString).deletingPathExtension
        return ((database as NSString).deletingLastPathComponent as NSString).appendingPathComponent("\(stem).head")
    }

    /// The anchor at `path`; nil when there is no file (a log never appended to, or one written
    /// before anchors existed).
    package static func read(from path: String) throws -> HeadAnchor? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { throw LedgerError.unreadableAnchor(path) }
        let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let seq = Int(fields[0]), seq >= 0, let hash = [UInt8](hex: fields[1]), hash.count == 32 else {
            throw LedgerError.unreadableAnchor(path)
        }
        return HeadAnchor(seq: seq, hash: hash)
    }

    /// Replaces the file by temporary file, fsync and rename. The folder is not synced: a crash
    /// may bring back the previous anchor, which is behind the log and so still holds.
    func write(to path: String) throws {
        try DurableFile.write(Array("\(seq) \(hash.hexString)\n".utf8), to: path, syncFolder: false)
    }

    /// "seq 350, hash 1a2b3c4d5e6f"
    package var description: String { "seq \(seq), hash \(hash.hexString.prefix(12))" }
}

extension [UInt8] {
    /// Bytes from lowercase or uppercase hex; nil for an odd length or a non-hex digit.
    init?(hex: Substring) {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self = bytes
    }
}
