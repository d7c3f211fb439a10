import ArgumentParser
import LoupeHarness

struct BenchDaemon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Ingestion latency while a training runs, and throughput for a burst of files, against a real `loupe run`."
    )

    @Option(help: "Images renamed into inbox/ one by one while the training runs.")
    var latencyImages = 200

    @Option(help: "Milliseconds between two renames.")
    var intervalMs = 50

    @Option(help: "Images dropped at once for the throughput run.")
    var burst = 2000

    @Option(help: "Side of the square synthetic images, in pixels.")
    var size = 256

    func validate() throws {
        guard latencyImages >= 1, intervalMs >= 0, burst >= 1, (16...4096).contains(size) else {
            throw ValidationError("--latency-images and --burst must be at least 1, --interval-ms not negative, --size 16 to 4096")
        }
    }

    func run() throws {
        print(try DaemonBenchmark(latencyImages: latencyImages, intervalMs: intervalMs, burst: burst, size: size).run())
    }
}
