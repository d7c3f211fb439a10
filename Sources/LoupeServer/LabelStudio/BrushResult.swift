import LoupeLab

/// A mask as a Label Studio `brushlabels` result and back.
enum BrushResult {
    /// The region Label Studio shows as a brush: the mask in its RLE, every channel of a
    /// vessel pixel 255 as label-studio-converter's `mask2rle` writes it.
    static func result(_ mask: MaskPixels, config: LabelingConfig, id: String) -> BrushRegion {
        var values = [UInt8](repeating: 0, count: mask.pixels.count * 4)
        for (i, pixel) in mask.pixels.enumerated() where pixel != 0 {
            values[4 * i] = 255
            values[4 * i + 1] = 255
            values[4 * i + 2] = 255
            values[4 * i + 3] = 255
        }
        return BrushRegion(
            id: id, fromName: config.fromName, toName: config.toName, originalWidth: mask.width, originalHeight: mask.height,
            value: .init(rle: BrushRLE.encode(values).map(Int.init), brushlabels: [config.label])
        )
    }

    /// The union of an annotation's brush regions drawn with `config`'s tag, as one mask of
    /// the task image's size, which every region must declare. A pixel is painted when its
    /// alpha is at least 128: the editor paints opaque, and a faint anti-aliased edge is not the
    /// expert's line. No brush region at all is an empty mask: the expert erased every vessel.
    static func mask(from results: [ResultItem], config: LabelingConfig, width: Int, height: Int) throws(BrushRLE.Malformed)
        -> MaskPixels
    {
        var pixels = [UInt8](repeating: 0, count: width * height)
        for result in results where result.type?.lowercased() == "brushlabels" {
            if let from = result.fromName, from != config.fromName { continue }
            guard let rle = result.rle else {
                throw BrushRLE.Malformed(description: "a brushlabels result without value.rle as a list of numbers")
            }
            // Checked before anything is allocated for it: a region's size is the payload's
            // word, and only the task image's own size is worth the memory.
            let declared = (result.originalWidth ?? width, result.originalHeight ?? height)
            guard declared == (width, height) else {
                throw BrushRLE.Malformed(description: "a brush region of \(declared.0)x\(declared.1) pixels on a \(width)x\(height) image")
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(rle.count)
            for item in rle {
                guard (0...255).contains(item) else {
                    throw BrushRLE.Malformed(description: "value.rle holds \(item), not a byte")
                }
                bytes.append(UInt8(item))
            }
            let values = try BrushRLE.decode(bytes, expected: width * height * 4)
            for i in 0..<pixels.count where values[4 * i + 3] >= 128 { pixels[i] = 255 }
        }
        return MaskPixels(width: width, height: height, pixels: pixels)
    }
}
