import Foundation
import LoupeLab
import Testing

/// What a person opens shows the serving model's prediction, even before the daemon's sweep
/// reaches the image.
@Suite struct OnDemandPredictionTests {
    @Test func anImageOpenedRightAfterItsUploadIsPredictedByTheServingModel() async throws {
        let lab = try ServerHarness()
        for n in 1...2 {
            #expect(try await lab.request("POST", "/api/v1/images?name=im\(n).png", body: try photoPNG(seed: n), contentType: "image/png").status == 201)
            let mask = try maskPNG { x, y in abs(x - (40 / 3 + n % 7) - y / 3) < 2 }
            #expect(try await lab.request("POST", "/api/v1/images/im\(n)/corrections", body: mask, contentType: "image/png").status == 201)
        }
        try lab.waitFor("a promoted model") { try !$0.events(type: .modelPromoted).isEmpty }
        let model = try #require(try lab.lab().currentModel()?.sha)
        for n in 3...8 {
            #expect(try await lab.request("POST", "/api/v1/images?name=im\(n).png", body: try photoPNG(seed: n), contentType: "image/png").status == 201)
            let opened = try await lab.request("GET", "/api/v1/images/im\(n)/prediction.png")
            #expect(opened.status == 200, "im\(n): \(opened.text)")
            #expect(opened.headers["x-loupe-model"] == model)
        }
        let predicted = try lab.lab().events(type: .predictionMade).compactMap { row -> String? in
            guard case .predictionMade(let made) = try row.decoded(), made.model == model else { return nil }
            return made.image
        }
        #expect(Set(predicted).count == predicted.count, "an image predicted on demand is not predicted again by the sweep")
    }
}
