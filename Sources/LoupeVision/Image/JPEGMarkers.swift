/// Walks a JPEG's markers, skipping segments by their lengths and scans by their stuffed
/// bytes, to tell a file cut before its EOI marker from one whose structure is damaged.
/// libjpeg cannot: it pads a short file with an invented EOI and only warns.
enum JPEGMarkers {
    static func missingEnd(of bytes: [UInt8]) throws -> String? {
        var position = 2
        while true {
            // Any number of 0xFF fill bytes may precede a marker.
            guard position < bytes.count else { return "no EOI marker" }
            guard bytes[position] == 0xFF else {
                throw ImageDecodingError.corrupt(format: "JPEG", detail: "no marker at byte \(position)")
            }
            while position < bytes.count, bytes[position] == 0xFF { position += 1 }
            guard position < bytes.count else { return "no EOI marker" }
            let marker = bytes[position]
            position += 1
            switch marker {
            case 0xD9:
                return nil
            case 0x01, 0xD0...0xD7:
                continue
            case 0x00, 0xD8:
                throw ImageDecodingError.corrupt(format: "JPEG", detail: String(format: "unexpected marker 0x%02X", marker))
            default:
                guard position + 2 <= bytes.count else { return "cut inside a segment header" }
                let length = Int(bytes[position]) << 8 | Int(bytes[position + 1])
                guard length >= 2 else {
                    throw ImageDecodingError.corrupt(format: "JPEG", detail: "segment of length \(length)")
                }
                position += length
                guard position <= bytes.count else { return "cut inside a segment" }
                if marker == 0xDA { position = endOfScan(bytes, from: position) }
            }
        }
    }

    /// Entropy-coded data ends at the first 0xFF followed by anything but a stuffed zero or a
    /// restart marker.
    private static func endOfScan(_ bytes: [UInt8], from start: Int) -> Int {
        var position = start
        while position + 1 < bytes.count {
            if bytes[position] == 0xFF {
                let next = bytes[position + 1]
                if next != 0x00, !(0xD0...0xD7).contains(next) { return position }
            }
            position += 1
        }
        return bytes.count
    }
}
