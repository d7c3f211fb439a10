import Foundation
import Synchronization

/// Bounds the guesses at login codes. A code has 60 bits, so guessing one is hopeless anyway;
/// the bound keeps a flood of attempts from costing the lab more than a few answers. Per name:
/// `perName` failures in `window`; in all: `overall` failures in a minute. While a bound is
/// reached, attempts (right ones included) are answered 429 without being checked, which is
/// the price: a flood against one name locks that name's codes out for the window. Counts live
/// in memory, like claims.
///
/// An attempt counts as a failure from the moment it is admitted until it succeeds: concurrent
/// attempts cannot all slip in below the bound before the first of them is refused.
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

    enum Admission: Equatable {
        /// Check the code; call `succeeded(_:at:)` with this time if it signs in.
        case admitted(Date)
        /// Seconds to wait before `name` may try again.
        case wait(Int)
    }

    func admit(_ name: String) -> Admission {
        let now = clock()
        return failures.withLock { state in
            Self.forget(&state, now: now, window: window)
            if state.all.count >= overall, let first = state.all.first {
                return .wait(Self.seconds(until: first.addingTimeInterval(60), from: now))
            }
            if let mine = state.byName[name], mine.count >= perName, let first = mine.first {
                return .wait(Self.seconds(until: first.addingTimeInterval(window), from: now))
            }
            state.all.append(now)
            state.byName[name, default: []].append(now)
            return .admitted(now)
        }
    }

    /// The attempt admitted at `time` signed in: it is no failure.
    func succeeded(_ name: String, at time: Date) {
        failures.withLock { state in
            if let index = state.all.lastIndex(of: time) { state.all.remove(at: index) }
            if let index = state.byName[name]?.lastIndex(of: time) { state.byName[name]?.remove(at: index) }
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
