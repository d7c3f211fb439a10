import CTIFF
import Foundation
@testable import LoupeVision

/// Writes TIFF files with libtiff (into a temporary folder, then read back), and builds the
/// odd ones it will not write byte by byte.
enum TIFFFixture {
    struct Page {
        var width: Int
        var height: Int
        var samples: Int
        var bits: Int
        /// Row-major interleaved samples; 16-bit ones are written as given.
        var values: [Int]
    }

    enum Layout: Equatable {
        case strips(rows: Int)
        case tiles(side: Int)
        /// One plane per sample, in strips of one row.
        case planes
    }

    static func file(_ pages: [Page], layout: Layout = .strips(rows: 3), compression: Int32 = COMPRESSION_NONE) -> [UInt8] {
        let path = NSTemporaryDirectory() + "loupe-\(UUID().uuidString).tif"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let tiff = TIFFOpen(path, "w")!
        for page in pages {
            set(tiff, TIFFTAG_IMAGEWIDTH, page.width)
            set(tiff, TIFFTAG_IMAGELENGTH, page.height)
            set(tiff, TIFFTAG_BITSPERSAMPLE, page.bits)
            set(tiff, TIFFTAG_SAMPLESPERPIXEL, page.samples)
            set(tiff, TIFFTAG_PLANARCONFIG, Int(layout == .planes ? PLANARCONFIG_SEPARATE : PLANARCONFIG_CONTIG))
            set(tiff, TIFFTAG_COMPRESSION, Int(compression))
            if compression == COMPRESSION_JPEG, page.samples == 3 {
                // What scanners write: YCbCr inside, converted from RGB by libtiff's JPEG codec.
                set(tiff, TIFFTAG_PHOTOMETRIC, Int(PHOTOMETRIC_YCBCR))
                set(tiff, TIFFTAG_JPEGCOLORMODE, Int(JPEGCOLORMODE_RGB))
                set(tiff, TIFFTAG_JPEGQUALITY, 100)
            } else {
                set(tiff, TIFFTAG_PHOTOMETRIC, Int(page.samples == 1 ? PHOTOMETRIC_MINISBLACK : PHOTOMETRIC_RGB))
            }
            let rowBytes = page.width * page.samples * page.bits / 8
            var raw = [UInt8](repeating: 0, count: rowBytes * page.height)
            raw.withUnsafeMutableBytes { target in
                for (index, value) in page.values.enumerated() {
                    if page.bits == 8 { target[index] = UInt8(value) } else { target.storeBytes(of: UInt16(value), toByteOffset: index * 2, as: UInt16.self) }
                }
            }
            switch layout {
            case .strips(let rows):
                set(tiff, TIFFTAG_ROWSPERSTRIP, rows)
                for row in 0..<page.height {
                    var line = Array(raw[row * rowBytes..<(row + 1) * rowBytes])
                    precondition(TIFFWriteScanline(tiff, &line, UInt32(row), 0) == 1)
                }
            case .planes:
                set(tiff, TIFFTAG_ROWSPERSTRIP, 1)
                let sampleBytes = page.bits / 8
                for sample in 0..<page.samples {
                    for row in 0..<page.height {
                        var line: [UInt8] = []
                        for column in 0..<page.width {
                            let start = ((row * page.width + column) * page.samples + sample) * sampleBytes
                            line += raw[start..<start + sampleBytes]
                        }
                        precondition(TIFFWriteScanline(tiff, &line, UInt32(row), UInt16(sample)) == 1)
                    }
                }
            case .tiles(let side):
                set(tiff, TIFFTAG_TILEWIDTH, side)
                set(tiff, TIFFTAG_TILELENGTH, side)
                let pixelBytes = page.samples * page.bits / 8
                for y in stride(from: 0, to: page.height, by: side) {
                    for x in stride(from: 0, to: page.width, by: side) {
                        var tile = [UInt8](repeating: 0, count: side * side * pixelBytes)
                        for row in 0..<min(side, page.height - y) {
                            let start = ((y + row) * page.width + x) * pixelBytes
                            let length = min(side, page.width - x) * pixelBytes
                            tile.replaceSubrange(row * side * pixelBytes..<row * side * pixelBytes + length, with: raw[start..<start + length])
                        }
                        precondition(TIFFWriteTile(tiff, &tile, UInt32(x), UInt32(y), 0, 0) > 0)
                    }
                }
            }
            precondition(TIFFWriteDirectory(tiff) == 1)
        }
        TIFFClose(tiff)
        return [UInt8](FileManager.default.contents(atPath: path)!)
    }

    static func pattern(_ width: Int, _ height: Int, samples: Int, bits: Int) -> Page {
        let top = bits == 8 ? 255 : 65535
        let values = (0..<width * height * samples).map { ($0 &* 7919 &+ 13) % (top + 1) }
        return Page(width: width, height: height, samples: samples, bits: bits, values: values)
    }

    /// An 8-bit gray TIFF whose directory comes first and whose one strip follows it, the
    /// order some scanners write: cut anywhere in the strip, it still has a whole directory.
    static func directoryFirst(width: Int, height: Int, bits: Int = 8, withStrip: Bool = true) -> [UInt8] {
        let stripBytes = (width * bits + 7) / 8 * height
        let entries: [(tag: UInt16, value: UInt32)] = [
            (256, UInt32(width)), (257, UInt32(height)), (258, UInt32(bits)), (259, 1), (262, 1),
            (273, 0), (277, 1), (278, UInt32(height)), (279, UInt32(stripBytes)),
        ]
        let stripOffset = 8 + 2 + entries.count * 12 + 4
        var bytes = Array("II*\0".utf8) + little(UInt32(8))
        bytes += little(UInt16(entries.count))
        for entry in entries {
            let value = entry.tag == 273 ? UInt32(stripOffset) : entry.value
            bytes += little(entry.tag) + little(UInt16(4)) + little(UInt32(1)) + little(value)
        }
        bytes += little(UInt32(0))
        return withStrip ? bytes + (0..<stripBytes).map { UInt8(truncatingIfNeeded: $0) } : bytes
    }

    private static func little<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    private static func set(_ tiff: OpaquePointer, _ tag: Int32, _ value: Int) {
        precondition(loupe_tiff_set(tiff, UInt32(tag), UInt32(value)) == 1, "tag \(tag)")
    }
}
