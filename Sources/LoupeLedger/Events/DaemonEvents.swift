public struct DaemonStarted: Codable, Sendable, Equatable {
    public var version: String
    public var settingsHash: String
    public var pid: Int

    public init(version: String, settingsHash: String, pid: Int) {
        self.version = version
        self.settingsHash = settingsHash
        self.pid = pid
    }
}

public struct DaemonStopped: Codable, Sendable, Equatable {
    public var version: String
    public var reason: String

    public init(version: String, reason: String) {
        self.version = version
        self.reason = reason
    }
}
