/// Why `loupe run` stopped on an error it could not survive (the daemon's log says more).
package struct DaemonFailure: Error, CustomStringConvertible {
    package let reason: String

    package var description: String { "the daemon stopped: \(reason)" }
}
