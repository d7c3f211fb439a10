import Foundation
import Synchronization

/// Bounds the guesses at login codes. A code has 60 bits, so guessing one is hopeless anyway;
/// the bound keeps a flood of attempts from costing the lab more than a few answers, and each
/// refused attempt costs the guesser a slot. Per name: `perName` failures in `window`; in all:
/// `overall` failures in a minute. While a bound is reached, attempts (right ones included)
/// are answered 429 without being checked, which is the price: a flood against one name locks
/// that name's codes out for the window. Counts live in memory, like claims.
final class LoginThrottle: Sendable {
    let perName: Int
    let overall: Int
    let window: TimeInterval
    private let clock: @Sendable () -> Date
    private let failures = Mutex<(byName: [String: [Date]], all: [Date])>(([:], []))

    init(perName: Int = 10, overall: Int = 60, window: TimeInterval = 15 * 60, clock: @escaping @Sendable () -> Date = Date.init) {
        self.perName = perName
        self.overall = overall
        self.window = window
        self.clock = clock
    }

    /// Seconds to wait before `name` may try again; nil when an attempt may be checked now.
    func wait(for name: String) -> Int? {
        let now = clock()
        return failures.withLock { state in
            Self.forget(&state, now: now, window: window)
            if state.all.count >= overall, let first = state.all.first {
                return Self.seconds(until: first.addingTimeInterval(60), from: now)
            }
            if let mine = state.byName[name], mine.count >= perName, let first = mine.first {
                return Self.seconds(until: first.addingTimeInterval(window), from: now)
            }
            return nil
        }
    }

    func failed(_ name: String) {
        let now = clock()
        failures.withLock { state in
            state.all.append(now)
            state.byName[name, default: []].append(now)
        }
    }

    private static func forget(_ state: inout (byName: [String: [Date]], all: [Date]), now: Date, window: TimeInterval) {
        state.all.removeAll { now.timeIntervalSince($0) >= 60 }
        for (name, times) in state.byName {
            let kept = times.filter { now.timeIntervalSince($0) < window }
            state.byName[name] = kept.isEmpty ? nil : kept
        }
    }

    private static func seconds(until date: Date, from now: Date) -> Int {
        max(1, Int(date.timeIntervalSince(now).rounded(.up)))
    }
}
