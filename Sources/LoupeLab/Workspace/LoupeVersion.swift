/// The one version string: the command line prints it, DaemonStarted records it.
public enum LoupeVersion {
    public static let current = "0.1.0"
}
