import ArgumentParser
import Foundation
import LoupeHarness

struct BenchSoak: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Resident memory of a real `loupe run` over many small trainings: idle RSS after each, and the peak."
    )

    @Option(help: "Trainings, one per new correction (1 to 1000).")
    var trainings = 20

    @Option(help: "Side of the square synthetic images, in pixels (32 to 1024).")
    var size = 128

    @Option(help: "Epochs per training (1 to 100).")
    var epochs = 1

    func validate() throws {
        guard (1...1000).contains(trainings), (32...1024).contains(size), (1...100).contains(epochs) else {
            throw ValidationError("--trainings must be 1 to 1000, --size 32 to 1024 pixels, --epochs 1 to 100")
        }
    }

    func run() throws {
        let soak = MemorySoak(trainings: trainings, size: size, epochs: epochs)
        print(try soak.run { FileHandle.standardError.write(Data("soak: \($0)\n".utf8)) }.render())
    }
}
