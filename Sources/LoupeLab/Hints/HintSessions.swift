import LoupeVision
import Synchronization

/// The hint sessions of the images being worked on, newest last, at most `limit`: a session
/// holds the image encoded for the model and its probabilities under the clicks so far, so the
/// next click of the same expert re-predicts only its region instead of decoding the image and
/// its stored probabilities again.
///
/// A job takes its session out while it works and puts it back after, so two hints of one
/// image never share a session. Thread-safe: jobs run on the loop's thread pool.
package final class HintSessions: Sendable {
    struct Key: Hashable, Sendable {
        let image: String
        let model: String
    }

    private let held = Mutex<[(key: Key, session: HintSession)]>([])
    let limit: Int

    package init(limit: Int = 4) {
        self.limit = limit
    }

    /// The session of `key`, removed from the cache; nil when there is none.
    func take(_ key: Key) -> HintSession? {
        held.withLock { held in
            guard let index = held.firstIndex(where: { $0.key == key }) else { return nil }
            return held.remove(at: index).session
        }
    }

    /// Keeps `session` as the newest, dropping the oldest beyond `limit`.
    func put(_ session: HintSession, for key: Key) {
        held.withLock { held in
            held.removeAll { $0.key == key }
            held.append((key, session))
            if held.count > limit { held.removeFirst(held.count - limit) }
        }
    }

    var count: Int { held.withLock { $0.count } }
}
