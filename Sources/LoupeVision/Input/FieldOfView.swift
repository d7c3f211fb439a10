/// Estimates the circular field of view of a fundus photograph: inside it the red channel is
/// bright (the retina is red), outside it the camera mask is near black.
///
/// The threshold is a fraction of a high percentile of red rather than a fixed level, so dim
/// and bright photographs alike keep their whole retina. Returns 0/255, one channel.
public func estimateFOV(image: RasterImage) -> RasterImage {
    let red = image.channels >= 3 ? image.channel(0) : image.luminance
    var histogram = [Int](repeating: 0, count: 256)
    for value in red.pixels { histogram[Int(value)] += 1 }
    var remaining = red.pixels.count / 50
    var bright = 255
    while bright > 0 && remaining > histogram[bright] {
        remaining -= histogram[bright]
        bright -= 1
    }
    let threshold = UInt8(max(8, bright * 15 / 100))
    return RasterImage(width: image.width, height: image.height, channels: 1,
                       pixels: red.pixels.map { $0 > threshold ? 255 : 0 })
}
