import ArgumentParser
import Foundation
import LoupeHarness

struct BenchHTTP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Opening an image, status and queue under 50 clients, and saving a correction, against a real `loupe run` while it trains."
    )

    @Option(help: "Images opened one after another.")
    var opens = 40

    @Option(help: "Corrections saved one after another.")
    var saves = 20

    @Option(help: "Seconds of each wrk run.")
    var wrkSeconds = 8

    func validate() throws {
        guard (1...10_000).contains(opens), (1...1000).contains(saves), (1...600).contains(wrkSeconds) else {
            throw ValidationError("--opens 1 to 10000, --saves 1 to 1000, --wrk-seconds 1 to 600")
        }
    }

    func run() throws {
        let benchmark = HTTPBenchmark(opens: opens, saves: saves, wrkSeconds: wrkSeconds)
        print(try AsyncBridge.wait { try await benchmark.run() })
    }
}

/// Runs async work to its end from a synchronous command: the command line's `main` stays
/// synchronous because `loupe run` blocks its thread in the libuv loop.
enum AsyncBridge {
    static func wait<Value: Sendable>(_ work: @escaping @Sendable () async throws -> Value) throws -> Value {
        let done = DispatchSemaphore(value: 0)
        let box = Box<Value>()
        Task {
            do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }

    /// `@unchecked Sendable`: written once by the task before it signals, read after the wait.
    private final class Box<Value>: @unchecked Sendable {
        var result: Result<Value, any Error>?
    }
}
