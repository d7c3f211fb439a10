import Foundation
import Testing
@testable import LoupeLedger

/// How a correction was made, recorded on CorrectionAccepted as an optional field: a log
/// written before it still decodes and hashes the same, and verify checks the hinted mask.
@Suite struct CorrectionMakingTests {
    static let old = #"{"annotator":"ah","basedOnMask":"m","basedOnModel":"p","image":"i","mask":"k","nonBinaryPixels":0,"originalName":"im1.png","pixelsChanged":12,"source":"s","vesselPixels":40}"#

    @Test func aCorrectionFromBeforeTheAuditDecodesAndEncodesToTheSameBytes() throws {
        let event = try LedgerEvent.decode(type: "CorrectionAccepted", schema: 1, payload: Data(Self.old.utf8))
        guard case .correctionAccepted(let accepted) = event else { Issue.record("\(event)"); return }
        #expect(accepted.making == nil)
        #expect(try event.encodedPayload() == Self.old, "the hash of an old event does not change")
        #expect(event.referencedObjects == ["k", "s"])
    }

    @Test func howItWasMadeRoundTripsAndNamesTheHintedMask() throws {
        let making = CorrectionMaking(
            clicks: [RecordedClick(x: 3, y: 4, kind: "vessel"), RecordedClick(x: 9, y: 1, kind: "background")], hintModel: "p",
            strokes: [RecordedStroke(tool: "polyline", size: 2, points: [1, 2, 3, 4])], hintedMask: "h",
            pixels: PixelOrigins(model: 90, hints: 7, hand: 3)
        )
        let event = LedgerEvent.correctionAccepted(CorrectionAccepted(
            image: "i", mask: "k", source: "s", originalName: "im1.png", annotator: "ah", basedOnModel: "p", basedOnMask: "m",
            pixelsChanged: 12, vesselPixels: 40, nonBinaryPixels: 0, making: making
        ))
        let payload = try event.encodedPayload()
        #expect(payload.contains(#""making":{"clicks":[{"kind":"vessel","x":3,"y":4}"#), "\(payload)")
        #expect(try LedgerEvent.decode(type: "CorrectionAccepted", schema: 1, payload: Data(payload.utf8)) == event)
        #expect(event.referencedObjects == ["k", "s", "h"])
    }
}
