import Foundation
import Synchronization

/// Who has an image open. A claim lasts `duration` and is renewed while its holder edits; the
/// queue skips images claimed by someone else. Claims are leases, not facts: they live in
/// memory and end with the process, so a crashed browser never locks an image for good.
final class Claims: Sendable {
    private let held = Mutex<[String: Claim]>([:])
    let duration: TimeInterval
    private let clock: @Sendable () -> Date

    init(duration: TimeInterval, clock: @escaping @Sendable () -> Date = Date.init) {
        self.duration = duration
        self.clock = clock
    }

    /// Takes or renews `image` for `annotator`; returns the other holder's claim if it is taken.
    func claim(_ image: String, for annotator: String) -> ClaimOutcome {
        let now = clock()
        return held.withLock { held in
            if let current = held[image], current.expires > now, current.annotator != annotator {
                return .takenBy(current)
            }
            let claim = Claim(annotator: annotator, expires: now.addingTimeInterval(duration))
            held[image] = claim
            return .held(claim)
        }
    }

    func release(_ image: String, by annotator: String) {
        held.withLock { held in
            if held[image]?.annotator == annotator { held[image] = nil }
        }
    }

    /// The live claims, expired ones dropped.
    func current() -> [String: Claim] {
        let now = clock()
        return held.withLock { held in
            held = held.filter { $0.value.expires > now }
            return held
        }
    }
}

enum ClaimOutcome: Sendable, Equatable {
    case held(Claim)
    case takenBy(Claim)
}

struct Claim: Sendable, Equatable {
    let annotator: String
    let expires: Date
}
