/// The expert's minutes, by the time model README states: drawing an image's vessels from
/// scratch takes 36 minutes (the case study); correcting a starting mask takes 36 minutes times
/// the centerline share left to redraw, plus 3 seconds a click.
package enum ExpertTime {
    package static let drawingMinutes = 36.0
    package static let secondsPerClick = 3.0

    package static func minutes(centerlineShare: Double, clicks: Int) -> Double {
        drawingMinutes * centerlineShare + secondsPerClick * Double(clicks) / 60
    }
}
