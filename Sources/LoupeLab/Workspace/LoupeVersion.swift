/// The one version string: the command line prints it, DaemonStarted records it.
package enum LoupeVersion {
    package static let current = "0.1.0"
}
