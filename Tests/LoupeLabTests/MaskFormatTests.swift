import CTurboJPEG
import Foundation
import LoupeVision
import Testing
@testable import LoupeLab

/// Which files a lab may drop as masks, beyond gray and RGB PNG, and what it is told when a
/// mask is refused.
@Suite struct MaskFormatTests {
    static func labWithImage() throws -> (TemporaryFolder, Workspace) {
        let (folder, lab) = try makeLab()
        _ = try lab.ingestImage(at: try drop(try ImageCodec.encodePNG(fundus()), as: "im0001.png", into: lab.inbox))
        return (folder, lab)
    }

    /// The mask as libjpeg-turbo saves it at full quality: even then its edges are not 0 and 255.
    static func jpegMask() -> [UInt8] {
        let pixels = mask().pixels
        let handle = tjInitCompress()!
        defer { tjDestroy(handle) }
        var jpeg: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let done = pixels.withUnsafeBufferPointer { source in
            tjCompress2(handle, source.baseAddress, 24, 0, 16, Int32(TJPF_GRAY.rawValue), &jpeg, &size, Int32(TJSAMP_GRAY.rawValue), 100, 0)
        }
        precondition(done == 0)
        defer { tjFree(jpeg) }
        return Array(UnsafeBufferPointer(start: jpeg, count: Int(size)))
    }

    /// The test mask drawn in red on an RGBA canvas, every pixel at `alpha`.
    static func rgbaMask(alpha: UInt8 = 255) -> RasterImage {
        let pixels = mask().pixels.flatMap { value -> [UInt8] in [value, 0, 0, alpha] }
        return RasterImage(width: 24, height: 16, channels: 4, pixels: pixels)
    }

    @Test func aJPEGMaskIsRefusedAsLossy() throws {
        let (_, lab) = try Self.labWithImage()
        let outcome = try lab.ingestCorrection(at: try drop(Self.jpegMask(), as: "im0001.jpg", into: lab.corrections))
        guard case .rejected(let reason, let movedTo) = outcome else { Issue.record("\(outcome)"); return }
        #expect(reason == "mask is a JPEG: lossy masks are not accepted, since compression blurs vessel edges; save it as PNG")
        #expect(movedTo == "rejected/im0001.jpg")
    }

    @Test func anOpaqueRGBAMaskIsReadFromItsColour() throws {
        let (_, lab) = try Self.labWithImage()
        let outcome = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(Self.rgbaMask()), as: "im0001.png", into: lab.corrections))
        guard case .accepted(let sha, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(try ImageCodec.decode(try lab.objects.read(sha)) == mask())
    }

    @Test func aMaskWithTransparentPixelsIsRefused() throws {
        let (_, lab) = try Self.labWithImage()
        var rgba = Self.rgbaMask()
        rgba.pixels[7] = 128
        rgba.pixels[11] = 0
        let outcome = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(rgba), as: "im0001.png", into: lab.corrections))
        guard case .rejected(let reason, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(reason == "mask is not fully opaque (2 pixels have alpha below 255); save it without transparency")
    }

    /// The extension is stripped to find the name; the bytes, not the extension, say the format.
    @Test(arguments: ["im0001.tif", "im0001.tiff", "im0001.jpeg"])
    func aMaskNamedWithAnImageExtensionIsMatched(name: String) throws {
        let (_, lab) = try Self.labWithImage()
        let outcome = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(mask()), as: name, into: lab.corrections))
        #expect(!outcome.isRejected, "\(outcome)")
    }

    @Test func anUnmatchedMaskIsToldTheNamesTriedAndThePatterns() throws {
        let (_, lab) = try Self.labWithImage()
        let outcome = try lab.ingestCorrection(at: try drop(try ImageCodec.encodePNG(mask()), as: "im9999.ah.png", into: lab.corrections))
        guard case .rejected(let reason, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(reason == "no ingested image matches 'im9999.ah.png' (tried the names 'im9999.ah' and 'im9999'); "
            + "name a mask NAME.png, NAME.ANNOTATOR.png or NAME_mask.png after its image NAME, "
            + "or after a SHA-256 prefix of the image (at least 8 hex digits), or pass --image")
    }
}
