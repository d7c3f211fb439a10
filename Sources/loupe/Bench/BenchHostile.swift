import ArgumentParser
import Foundation
import LoupeHarness

struct BenchHostile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hostile",
        abstract: "Replay issue 9's bad files and conditions against a real `loupe run`: outcome, files lost, peak RSS."
    )

    @Option(help: "Only the cases whose name contains this text.")
    var only: String?

    func run() throws {
        print(try HostileBenchmark(only: only).run { FileHandle.standardError.write(Data("case: \($0)\n".utf8)) })
    }
}
