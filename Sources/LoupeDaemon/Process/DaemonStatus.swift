import Foundation

/// `daemon.json` in the lab: what the running daemon is doing, for `loupe status` in another
/// process. Rewritten by temporary file + rename, so a reader never sees half of it.
package struct DaemonStatus: Codable, Sendable, Equatable {
    package struct Training: Codable, Sendable, Equatable {
        package var run: Int
        package var epoch: Int
        package var batch: Int
        package var batchesPerEpoch: Int
        package var loss: Double?
        package var elapsedSeconds: Double
        package var remainingSeconds: Double?
    }

    package var pid: Int
    package var startedAt: String
    package var activity: DaemonActivity
    package var training: Training?
    package var waitingForPrediction: Int
    package var filesBeingIngested: Int
    /// Where `loupe run` serves the page and the API; nil with `--no-http`.
    package var url: String?

    package static func path(lab: String) -> String { "\(lab)/daemon.json" }

    func write(lab: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(self) else { return }
        let temporary = "\(Self.path(lab: lab)).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        rename(temporary, Self.path(lab: lab))
    }

    /// The running daemon's status, or nil when no daemon holds the lab's lock.
    package static func read(lab: String) -> DaemonStatus? {
        guard PidLock.runningDaemon(lab: lab) != nil,
              let data = FileManager.default.contents(atPath: path(lab: lab)) else { return nil }
        return try? JSONDecoder().decode(DaemonStatus.self, from: data)
    }
}
