import Foundation
import Testing
@testable import LoupeVision

/// Skeleton, distance transform, centerline length and effort on drawn shapes whose centerline
/// is known.
@Suite struct CenterlineTests {
    /// A mask of `width` x `height` set where `inside` holds.
    static func draw(_ width: Int, _ height: Int, _ inside: (Int, Int) -> Bool) -> PixelMask {
        PixelMask(width: width, height: height, bits: (0..<width * height).map { inside($0 % width, $0 / width) })
    }

    /// A horizontal bar 5 px thick from x = 10 to 10 + length - 1, centred on row 10.
    static func bar(length: Int, row: Int = 10) -> PixelMask {
        draw(80, 24) { x, y in (10..<10 + length).contains(x) && abs(y - row) <= 2 }
    }

    @Test func aFivePixelBarThinsToOneRowAboutItsLength() {
        let skeleton = Skeleton.thin(Self.bar(length: 50))
        let rows = Set(skeleton.bits.indices.filter { skeleton.bits[$0] }.map { $0 / 80 })
        #expect(rows == [10], "the skeleton runs along the bar's middle row")
        // Thinning takes the 5 px ends' corners: 45 of the 50 columns remain.
        #expect(skeleton.count == 45, "skeleton pixels: \(skeleton.count)")
        #expect(abs(CenterlineLength.of(skeleton) - Double(skeleton.count)) < 1e-9, "a straight row measures its pixel count")
    }

    @Test func aRingThinsToACircleWhoseLengthIsItsCircumference() {
        // Radii 12 to 16: the centerline is the circle of radius 14.
        let ring = Self.draw(48, 48) { x, y in
            let r = (Double(x - 24) * Double(x - 24) + Double(y - 24) * Double(y - 24)).squareRoot()
            return r >= 11.5 && r <= 16.5
        }
        let skeleton = Skeleton.thin(ring)
        let circumference = 2 * Double.pi * 14
        let length = CenterlineLength.of(skeleton)
        // An 8-connected digital circle keeps a few staircase steps: 93.3 px, 6% over the true 88.
        #expect(abs(length - circumference) / circumference < 0.07, "length \(length) against \(circumference)")
        #expect(Double(skeleton.count) < length, "a pixel count undercounts the diagonal parts")
        #expect(ConnectedComponents.count(skeleton) == 1)
        // A closed curve: every skeleton pixel has set neighbours on both sides.
        #expect(skeleton.bits.indices.filter { skeleton.bits[$0] }.allSatisfy { index in
            let x = index % 48, y = index / 48
            return (-1...1).flatMap { dy in (-1...1).map { dx in (dx, dy) } }.filter { $0 != (0, 0) && skeleton[x + $0.0, y + $0.1] }.count >= 2
        })
    }

    @Test func aDiagonalBandMeasuresRootTwoPerPixel() {
        let band = Self.draw(60, 60) { x, y in (10..<50).contains(x) && abs(x - y) <= 2 }
        let skeleton = Skeleton.thin(band)
        let length = CenterlineLength.of(skeleton)
        // The band's oblique ends reach from (10, 8) to (49, 51): 41 pixels, 40 diagonal steps and one straight one.
        #expect(skeleton.count == 41)
        #expect(abs(length - (40 * 2.0.squareRoot() + 1)) < 1e-9, "length \(length) of \(skeleton.count) pixels")
        #expect(length / Double(skeleton.count) > 1.35)
        #expect(ConnectedComponents.count(skeleton) == 1)
    }

    @Test func anLShapeMeasuresBothArms() {
        // A 5-px-thick horizontal arm along row 40 (x 10...49) and a vertical arm along column 10 (y 10...40).
        let shape = Self.draw(60, 50) { x, y in
            ((10...49).contains(x) && abs(y - 40) <= 2) || ((10...49).contains(y) && abs(x - 10) <= 2 && y <= 42)
        }
        let length = CenterlineLength.of(Skeleton.thin(shape))
        // Arms of about 40 and 31 px along their middles, less the ends thinning takes.
        #expect(length > 62 && length < 72, "length \(length)")
        #expect(ConnectedComponents.count(Skeleton.thin(shape)) == 1)
    }

    @Test func theDistanceTransformIsExactAgainstBruteForce() {
        var state: UInt64 = 7
        let mask = Self.draw(23, 17) { _, _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 60 == 0
        }
        let distances = DistanceTransform.squaredDistances(to: mask)
        let set = mask.bits.indices.filter { mask.bits[$0] }
        #expect(!set.isEmpty)
        for index in mask.bits.indices {
            let x = index % 23, y = index / 23
            let nearest = set.map { Double((($0 % 23) - x) * (($0 % 23) - x) + (($0 / 23) - y) * (($0 / 23) - y)) }.min()!
            #expect(distances[index] == nearest, "pixel (\(x), \(y))")
        }
    }

    @Test func nearIsADiscOfTheToleranceAndAnEmptyMaskIsFarEverywhere() {
        let dot = Self.draw(9, 9) { x, y in x == 4 && y == 4 }
        let near = DistanceTransform.near(dot, within: 2)
        // The disc of radius 2: 5 + 5 + 3 + 3 + 5... the 13 pixels with dx² + dy² ≤ 4.
        #expect(near.count == 13)
        #expect(near[4, 2] && near[6, 4] && !near[6, 5] && near[5, 5])
        #expect(DistanceTransform.squaredDistances(to: PixelMask(width: 4, height: 3)).allSatisfy { $0 >= DistanceTransform.far })
        #expect(DistanceTransform.near(PixelMask(width: 4, height: 3), within: 2).count == 0)
    }

    @Test func connectedComponentsJoinDiagonalNeighbours() {
        let mask = Self.draw(8, 4) { x, y in [(0, 0), (1, 1), (2, 2), (5, 0), (6, 0), (7, 3)].contains { $0 == (x, y) } }
        #expect(ConnectedComponents.count(mask) == 3)
        #expect(ConnectedComponents.count(PixelMask(width: 3, height: 3)) == 0)
    }

    @Test func aPerfectPredictionCostsNothingAndAnEmptyOneCostsTheDrawing() {
        let label = Self.bar(length: 50)
        let same = CenterlineEffort(prediction: label, label: label, fov: nil)
        #expect(same.correctionLength == 0 && same.share == 0 && same.strokes == 0)
        #expect(same.drawingLength == CenterlineLength.of(Skeleton.thin(label)))

        let empty = CenterlineEffort(prediction: PixelMask(width: 80, height: 24), label: label, fov: nil)
        #expect(empty.missedLength == empty.drawingLength && empty.falseLength == 0)
        #expect(empty.share == 1)
        #expect(empty.strokes == 1 && empty.missedStrokes == 1 && empty.falseStrokes == 0)
    }

    @Test func aShiftWithinTheToleranceCostsNothingAndOneBeyondItCostsBoth() {
        let label = Self.bar(length: 50)
        let thinLabel = Self.draw(80, 24) { x, y in (10..<60).contains(x) && y == 10 }
        // A 1-px vessel two rows off: every centerline pixel is within 2 px of the other mask.
        let close = Self.draw(80, 24) { x, y in (10..<60).contains(x) && y == 12 }
        #expect(CenterlineEffort(prediction: close, label: thinLabel, fov: nil).share == 0)
        #expect(CenterlineEffort(prediction: Self.bar(length: 50, row: 11), label: label, fov: nil).share == 0)

        // Six rows off: the label's line is missed and the prediction's is false, two strokes.
        let far = CenterlineEffort(prediction: Self.bar(length: 50, row: 16), label: label, fov: nil)
        #expect(abs(far.missedLength - far.drawingLength) < 1e-9)
        #expect(abs(far.falseLength - far.drawingLength) < 1e-9, "the same bar shifted has the same length")
        #expect(abs(far.share - 2) < 1e-9)
        #expect(far.strokes == 2 && far.missedStrokes == 1 && far.falseStrokes == 1)
    }

    @Test func aMissedBranchCostsItsLengthBeyondTheTolerance() {
        // Label: a bar along row 10 and a vertical one along column 40 going down from it.
        let label = Self.draw(80, 60) { x, y in
            ((10...69).contains(x) && abs(y - 10) <= 2) || ((10...55).contains(y) && abs(x - 40) <= 2)
        }
        let barOnly = Self.draw(80, 60) { x, y in (10...69).contains(x) && abs(y - 10) <= 2 }
        let effort = CenterlineEffort(prediction: barOnly, label: label, fov: nil)
        // The branch's centerline runs from about y 13 (2 px below the bar's edge, within tolerance) to about y 53.
        #expect(effort.missedLength > 36 && effort.missedLength < 44, "missed \(effort.missedLength)")
        #expect(effort.falseLength == 0)
        #expect(effort.strokes == 1)
        #expect(abs(effort.share - effort.missedLength / effort.drawingLength) < 1e-12)
    }

    @Test func anExtraVesselIsFalseAndVesselsOutsideTheFieldOfViewDoNotCount() {
        let label = Self.bar(length: 50)
        let extra = label.union(Self.draw(80, 24) { x, y in (10..<40).contains(x) && y == 20 })
        let effort = CenterlineEffort(prediction: extra, label: label, fov: nil)
        #expect(effort.missedLength == 0 && effort.falseStrokes == 1 && effort.strokes == 1)
        #expect(effort.falseLength > 26 && effort.falseLength <= 30, "false \(effort.falseLength)")

        let upperPart = Self.draw(80, 24) { _, y in y < 17 }
        #expect(CenterlineEffort(prediction: extra, label: label, fov: upperPart).share == 0)
    }

    @Test func poolingAddsLengthsAndStrokesAndTheJSONCarriesTheShare() throws {
        let a = CenterlineEffort(drawingLength: 100, missedLength: 5, falseLength: 5, strokes: 2, missedStrokes: 1, falseStrokes: 1)
        let b = CenterlineEffort(drawingLength: 300, missedLength: 20, falseLength: 0, strokes: 3, missedStrokes: 3, falseStrokes: 0)
        let pooled = a + b
        #expect(pooled.drawingLength == 400 && pooled.correctionLength == 30 && pooled.strokes == 5)
        #expect(abs(pooled.share - 0.075) < 1e-12)
        #expect(CenterlineEffort.zero + a == a)
        let json = try JSONEncoder().encode(pooled)
        let fields = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(fields?["share"] as? Double == 0.075)
        #expect(try JSONDecoder().decode(CenterlineEffort.self, from: json) == pooled)
    }

    @Test func anImageWithoutVesselsReportsItsFalseVesselsAgainstOnePixel() {
        let nothing = PixelMask(width: 80, height: 24)
        let effort = CenterlineEffort(prediction: Self.bar(length: 20), label: nothing, fov: nil)
        #expect(effort.drawingLength == 0)
        #expect(effort.share == effort.falseLength && effort.share > 0)
    }
}
