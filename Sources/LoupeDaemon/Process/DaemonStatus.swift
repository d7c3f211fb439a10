import Foundation

/// `daemon.json` in the lab: what the running daemon is doing, for `loupe status` in another
/// process. Rewritten by temporary file + rename, so a reader never sees half of it.
public struct DaemonStatus: Codable, Sendable, Equatable {
    public struct Training: Codable, Sendable, Equatable {
        public var run: Int
        public var epoch: Int
        public var batch: Int
        public var batchesPerEpoch: Int
        public var loss: Double?
        public var elapsedSeconds: Double
        public var remainingSeconds: Double?
    }

    public var pid: Int
    public var startedAt: String
    public var activity: DaemonActivity
    public var training: Training?
    public var waitingForPrediction: Int
    public var filesBeingIngested: Int
    /// Where `loupe run` serves the page and the API; nil with `--no-http`.
    public var url: String?

    public static func path(lab: String) -> String { "\(lab)/daemon.json" }

    func write(lab: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(self) else { return }
        let temporary = "\(Self.path(lab: lab)).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        rename(temporary, Self.path(lab: lab))
    }

    /// The running daemon's status, or nil when no daemon holds the lab's lock.
    public static func read(lab: String) -> DaemonStatus? {
        guard PidLock.runningDaemon(lab: lab) != nil,
              let data = FileManager.default.contents(atPath: path(lab: lab)) else { return nil }
        return try? JSONDecoder().decode(DaemonStatus.self, from: data)
    }
}
