/// The formats ImageCodec reads, told apart by their first bytes alone.
enum ImageFormat: Equatable {
    case png, jpeg, tiff, netpbm, gzip
    /// Fewer bytes than a signature, all of them matching it: a file whose writer has only
    /// just begun.
    case cutSignature(String)

    private static let signatures: [(format: ImageFormat, name: String, bytes: [UInt8])] = [
        (.png, "PNG", PNGCodec.signature),
        (.jpeg, "JPEG", JPEGCodec.signature),
        (.tiff, "TIFF", Array("II*\0".utf8)),
        (.tiff, "TIFF", Array("MM\0*".utf8)),
        (.tiff, "TIFF", Array("II+\0".utf8)),
        (.tiff, "TIFF", Array("MM\0+".utf8)),
        (.netpbm, "PGM", Array("P5".utf8)),
        (.netpbm, "PPM", Array("P6".utf8)),
        (.gzip, "gzip", Gzip.magic),
    ]

    init?(magic bytes: [UInt8]) {
        for signature in Self.signatures where bytes.starts(with: signature.bytes) {
            self = signature.format
            return
        }
        for signature in Self.signatures where bytes.count < signature.bytes.count && signature.bytes.starts(with: bytes) {
            self = .cutSignature(signature.name)
            return
        }
        return nil
    }
}
