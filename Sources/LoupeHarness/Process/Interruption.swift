import Foundation
import Synchronization

/// Ctrl-C as an error: the handler only sets a flag, and the waits that poll the daemon throw
/// this, so the command unwinds through its `defer`s (stop the daemon, keep what was written).
package struct Interruption: Error, CustomStringConvertible {
    private static let flag = Atomic<Bool>(false)

    static var requested: Bool { flag.load(ordering: .relaxed) }

    /// Turns SIGINT into the flag for the rest of the process. Call on the main thread.
    package static func catchInterrupts() {
        signal(SIGINT) { _ in Interruption.flag.store(true, ordering: .relaxed) }
        // A parent may hand down SIGINT blocked (Foundation's Process does).
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
    }

    package var description: String { "interrupted" }
}
