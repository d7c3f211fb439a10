import Foundation
import LoupeLab

/// One bad file or condition from issue 9, replayed against a running daemon.
struct HostileCase: Sendable {
    struct Result {
        /// Every file the case left in a drop folder, to be accounted for.
        var files: [DroppedFile]
        /// What happened, in a few words.
        var outcome: String
        var asExpected: Bool
    }

    let name: String
    let run: @Sendable (HostileContext) throws -> Result
}

extension HostileContext {
    /// The events appended since `seq`, counted by type: "2 ImageIngested, 1 ImageNamed".
    func summary(after seq: Int) throws -> String {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for row in try events(after: seq) where row.type != "PredictionMade" && !row.type.hasPrefix("Training") && !row.type.hasPrefix("Model") {
            if counts[row.type] == nil { order.append(row.type) }
            counts[row.type, default: 0] += 1
        }
        var text = order.isEmpty ? "no event" : order.map { "\(counts[$0]!) \($0)" }.joined(separator: ", ")
        let reasons = Set(try events(after: seq).compactMap { row -> String? in
            switch try row.decoded() {
            case .imageRejected(let e), .correctionRejected(let e): String(e.reason.prefix(40))
            default: nil
            }
        })
        if !reasons.isEmpty { text += " (\(reasons.sorted().joined(separator: "; ")))" }
        return text
    }

    func count(_ kind: EventKind, after seq: Int) throws -> Int {
        try events(after: seq).filter { $0.type == kind.rawValue }.count
    }

    func decoded(_ kind: EventKind, after seq: Int) throws -> [LedgerEvent] {
        try events(after: seq).filter { $0.type == kind.rawValue }.map { try $0.decoded() }
    }
}
