import Testing
@testable import LoupeVision

@Suite struct JPEGCodecTests {
    @Test(arguments: [1, 3])
    func jpegDecodesWithinTwoLevels(channels: Int) throws {
        let image = JPEGFixture.gradient(37, 21, channels: channels)
        let decoded = try ImageCodec.decode(JPEGFixture.encode(image))
        #expect(decoded.width == 37 && decoded.height == 21 && decoded.channels == channels)
        let worst = zip(decoded.pixels, image.pixels).map { abs(Int($0) - Int($1)) }.max()!
        #expect(worst <= 2)
    }

    @Test func jpegIsToldByItsBytes() throws {
        let jpeg = JPEGFixture.encode(JPEGFixture.gradient(8, 8, channels: 3))
        #expect(ImageCodec.isJPEG(jpeg))
        #expect(!ImageCodec.isJPEG(try ImageCodec.encodePNG(JPEGFixture.gradient(8, 8, channels: 3))))
    }
}
