/// Why `loupe run` stopped on an error it could not survive (the daemon's log says more).
public struct DaemonFailure: Error, CustomStringConvertible {
    public let reason: String

    public var description: String { "the daemon stopped: \(reason)" }
}
