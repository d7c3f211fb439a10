package struct DaemonStarted: Codable, Sendable, Equatable {
    package var version: String
    package var settingsHash: String
    package var pid: Int

    package init(version: String, settingsHash: String, pid: Int) {
        self.version = version
        self.settingsHash = settingsHash
        self.pid = pid
    }
}

package struct DaemonStopped: Codable, Sendable, Equatable {
    package var version: String
    package var reason: String

    package init(version: String, reason: String) {
        self.version = version
        self.reason = reason
    }
}
