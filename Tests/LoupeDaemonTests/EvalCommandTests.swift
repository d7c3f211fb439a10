import Foundation
import LoupeVision
import Testing

/// `loupe eval --masks` (a second expert's folder) reports the centerline effort and strokes
/// beside F1, per image and pooled.
@Suite struct EvalCommandTests {
    @Test func evalOfMasksReportsCenterlineEffortAndStrokesPerImageAndPooled() throws {
        let root = NSTemporaryDirectory() + "loupe-eval-test-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for folder in ["images", "labels", "masks", "fov"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        }
        let (width, height) = (64, 32)
        func png(_ inside: (Int, Int) -> Bool) throws -> Data {
            let pixels = (0..<width * height).map { inside($0 % width, $0 / width) ? UInt8(255) : 0 }
            return Data(try ImageCodec.encodePNG(RasterImage(width: width, height: height, channels: 1, pixels: pixels)))
        }
        // A 5-px bar along row 10 in both labels; "same" is matched exactly, "none" is drawn from scratch.
        let bar = try png { x, y in (8..<56).contains(x) && abs(y - 10) <= 2 }
        for id in ["same", "none"] {
            try png { _, _ in true }.write(to: URL(fileURLWithPath: "\(root)/images/\(id).png"))
            try bar.write(to: URL(fileURLWithPath: "\(root)/labels/\(id).ah.png"))
            try png { _, _ in true }.write(to: URL(fileURLWithPath: "\(root)/fov/\(id).fov.png"))
        }
        try bar.write(to: URL(fileURLWithPath: "\(root)/masks/same.vk.png"))
        try png { _, _ in false }.write(to: URL(fileURLWithPath: "\(root)/masks/none.vk.png"))

        let (status, output) = try DaemonHarness.runLoupe([
            "eval", "--masks", "\(root)/masks", "--images", "\(root)/images", "--labels", "\(root)/labels", "--fov", "\(root)/fov", "--json",
        ])
        try #require(status == 0, "\(output)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as? String ?? "", $0) })
        #expect(byID["same"]?["centerlineEffort"] as? Double == 0 && byID["same"]?["strokes"] as? Int == 0)
        #expect(byID["none"]?["centerlineEffort"] as? Double == 1 && byID["none"]?["strokes"] as? Int == 1)
        #expect(byID["pooled"]?["centerlineEffort"] as? Double == 0.5 && byID["pooled"]?["strokes"] as? Int == 1)
        let drawing = try #require((byID["none"]?["centerline"] as? [String: Any])?["drawingLength"] as? Double)
        #expect(drawing > 40 && drawing <= 48)

        let (tableStatus, table) = try DaemonHarness.runLoupe([
            "eval", "--masks", "\(root)/masks", "--images", "\(root)/images", "--labels", "\(root)/labels", "--fov", "\(root)/fov",
        ])
        #expect(tableStatus == 0)
        #expect(table.contains("centerline  strokes"))
        #expect(table.split(separator: "\n").contains { $0.hasPrefix("pooled") && $0.contains("50.0%") })
    }
}
