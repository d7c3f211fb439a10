import LoupeLedger

extension Workspace {
    /// The last event's seq; 0 for an empty log.
    package func headSeq() throws -> Int {
        try ledger.head().seq
    }

    /// Calls `body` for each event after `seq`, in order, optionally of one type only.
    package func forEachEvent(after seq: Int = 0, type: EventKind? = nil, _ body: (EventRow) throws -> Void) throws {
        try ledger.forEachEvent(after: seq, type: type, body)
    }

    package func events(after seq: Int = 0, upTo: Int = Int.max, type: EventKind? = nil) throws -> [EventRow] {
        try ledger.events(after: seq, upTo: upTo, type: type)
    }

    /// Rows that differ between a full replay of the log and the live projections; empty when
    /// they agree.
    package func replayDifferences() throws -> [String] {
        try Replay.differences(ledger, livePath: databasePath)
    }

    /// Replaces the live projections with a full replay; returns the events replayed.
    package func rebuildProjections() throws -> Int {
        try Replay.rebuild(ledger)
    }

    /// The images and models as they stood after event `seq`, from a replay into memory.
    package func state(asOf seq: Int) throws -> LabState {
        let state = try Replay.project(ledger, upTo: seq)
        return LabState(images: try state.images(), models: try state.models(), rejected: try state.rejected().count)
    }
}

package struct LabState: Sendable, Equatable {
    package var images: [ImageRecord]
    package var models: [ModelRecord]
    package var rejected: Int
}
