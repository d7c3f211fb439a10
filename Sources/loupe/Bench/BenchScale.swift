import ArgumentParser
import Foundation
import LoupeHarness

struct BenchScale: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "A lab of many small pending images against a real `loupe run`: ingest rate, peak RSS, status and queue latency, and the re-prediction sweep after a promotion."
    )

    @Option(help: "Pending images dropped at once (100 to 100000).")
    var images = 10_000

    @Option(help: "Side of the square synthetic images, in pixels (32 to 2048).")
    var size = 256

    func validate() throws {
        // At least 100 so the queue's head (20) is a small part of the lab; at most what fits a
        // scratch folder and an hour's run.
        guard (100...100_000).contains(images) else { throw ValidationError("--images must be 100 to 100000, not \(images)") }
        guard (32...2048).contains(size) else { throw ValidationError("--size must be 32 to 2048 pixels, not \(size)") }
    }

    func run() throws {
        let benchmark = ScaleBenchmark(images: images, size: size)
        print(try AsyncBridge.wait { try await benchmark.run { FileHandle.standardError.write(Data("scale: \($0)\n".utf8)) } })
    }
}
