import Foundation
import LoupeLab
import LoupeVision
import Testing
@testable import LoupeHarness

@Suite struct HarnessTests {
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "loupe-harness-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func png(seed: Int, channels: Int = 3) throws -> Data {
        let pixels = (0..<(16 * 16 * channels)).map { UInt8(truncatingIfNeeded: $0 &* (seed + 3)) }
        return Data(try ImageCodec.encodePNG(RasterImage(width: 16, height: 16, channels: channels, pixels: pixels)))
    }

    @Test func benchTableAlignsNumbersRightAndNamesLeft() {
        var table = BenchTable("measure", "n")
        table.add("append", "5")
        table.add("replay to memory", "12345")
        #expect(table.render() == """
            measure               n
            ----------------  -----
            append                5
            replay to memory  12345
            """)
    }

    @Test func labelledImagesMatchByStemAndNameWhatIsMissing() throws {
        let root = try Self.folder()
        for folder in ["images", "labels"] { try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true) }
        try Self.png(seed: 1).write(to: URL(fileURLWithPath: "\(root)/images/im01.png"))
        try Self.png(seed: 2).write(to: URL(fileURLWithPath: "\(root)/images/im02.png"))
        try Self.png(seed: 1, channels: 1).write(to: URL(fileURLWithPath: "\(root)/labels/im01.ah.png"))
        let one = try LabelledImages(images: "\(root)/images", labels: "\(root)/labels", fov: nil, ids: ["im01"])
        #expect(one.entries.map(\.id) == ["im01"])
        #expect(one.entries[0].labelPath == "\(root)/labels/im01.ah.png")
        let error = #expect(throws: HarnessError.self) {
            try LabelledImages(images: "\(root)/images", labels: "\(root)/labels", fov: nil, ids: nil)
        }
        #expect(error?.description == "no label for im02 in \(root)/labels")
    }

    @Test func aSimulationRefusesALabThatHoldsImagesAndRecordsItsStrategy() throws {
        let lab = "\(try Self.folder())/lab"
        let settings = try SimulationFiles.prepareLab(lab, strategy: .fifo)
        #expect(settings.queueStrategy == .fifo)
        #expect(try Workspace(at: lab).settings.queueStrategy == .fifo)
        let workspace = try Workspace(at: lab)
        let path = "\(workspace.inbox)/im01.png"
        try Self.png(seed: 1).write(to: URL(fileURLWithPath: path))
        _ = try workspace.ingestImage(at: path)
        #expect(throws: HarnessError.self) { try SimulationFiles.prepareLab(lab, strategy: .fifo) }
    }

    @Test func aLabWithoutModelOrCorrectionsIsIdleAndOneWithEnoughCorrectionsIsNot() throws {
        let lab = "\(try Self.folder())/lab"
        try Workspace.initialize(at: lab)
        let workspace = try Workspace(at: lab)
        for index in 0..<2 {
            let path = "\(workspace.inbox)/im\(index).png"
            try Self.png(seed: index).write(to: URL(fileURLWithPath: path))
            _ = try workspace.ingestImage(at: path)
        }
        #expect(try DaemonIdleness.isIdle(lab: lab), "nothing to predict without a model, nothing to learn without corrections")
        for index in 0..<2 {
            let path = "\(workspace.corrections)/im\(index).png"
            try Self.png(seed: index, channels: 1).write(to: URL(fileURLWithPath: path))
            _ = try workspace.ingestCorrection(at: path)
        }
        #expect(try !DaemonIdleness.isIdle(lab: lab), "two new corrections call for a training")
    }
}
