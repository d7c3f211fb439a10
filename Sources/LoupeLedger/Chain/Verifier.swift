import Foundation

/// Walks the hash chain, holds its end against the head anchor, and re-hashes every object
/// the log refers to.
package enum Verifier {
    package struct Report: Sendable, Equatable {
        package var events: Int
        package var head: String
        package var objects: Int
        /// Nil when no anchor was ever written (an empty log, or one from before anchors).
        package var anchor: HeadAnchor?
        /// Objects in the store that no event names: left by a crash between storing an object
        /// and appending its event. Harmless, but worth a look.
        package var unreferencedObjects: [String]
    }

    package enum Failure: Error, Equatable, CustomStringConvertible {
        case gap(expectedSeq: Int, found: Int)
        case brokenLink(seq: Int)
        case badHash(seq: Int)
        case unreadable(seq: Int, reason: String)
        case object(seq: Int, LedgerError)
        case anchor(LedgerError)

        package var description: String {
            switch self {
            case .gap(let expected, let found): "seq \(expected) is missing (next row is seq \(found)): a row was deleted"
            case .brokenLink(let seq): "seq \(seq): prev_hash does not match the hash of the row before it"
            case .badHash(let seq): "seq \(seq): the row no longer matches its hash (edited after it was written)"
            case .unreadable(let seq, let reason): "seq \(seq): payload does not decode: \(reason)"
            case .object(let seq, let error): "seq \(seq): \(error)"
            case .anchor(let error): "\(error)"
            }
        }
    }

    package static func verify(_ ledger: Ledger, objects: ObjectStore?) throws -> Report {
        // Read before the log: an append committed meanwhile is then in the walk's snapshot.
        let anchor: HeadAnchor?
        do { anchor = try HeadAnchor.read(from: ledger.anchorPath) } catch let error as LedgerError { throw Failure.anchor(error) }
        var hasher = ChainHasher()
        var expectedSeq = 1
        var prev = ChainHasher.genesis
        var checked: Set<String> = []
        // Straight from the column bytes: no String or Array per row, the digest compared in place.
        try ledger.forEachBorrowedRow { row in
            guard row.seq == expectedSeq else { throw Failure.gap(expectedSeq: expectedSeq, found: row.seq) }
            guard Self.equal(row.prevHash, prev) else { throw Failure.brokenLink(seq: row.seq) }
            hasher.begin(prev: row.prevHash)
            hasher.field(row.seq)
            hasher.field(row.stream)
            hasher.field(row.version)
            hasher.field(row.eventID)
            hasher.field(row.type)
            hasher.field(row.schema)
            hasher.field(row.payload)
            hasher.field(row.at)
            let digest = hasher.finish()
            guard digest.withUnsafeBytes({ Self.equal(row.hash, $0) }) else { throw Failure.badHash(seq: row.seq) }
            if let anchor, anchor.seq == row.seq, !Self.equal(row.hash, anchor.hash) {
                throw Failure.anchor(.logReplaced(anchor: anchor))
            }
            if let objects, LedgerEvent.typesWithObjects.contains(row.typeName) {
                let event: LedgerEvent
                do { event = try row.decoded() } catch { throw Failure.unreadable(seq: row.seq, reason: "\(error)") }
                for sha in event.referencedObjects where checked.insert(sha).inserted {
                    do { try objects.verify(sha) } catch let error as LedgerError { throw Failure.object(seq: row.seq, error) }
                }
            }
            if prev.count == row.hash.count {
                prev.withUnsafeMutableBytes { $0.copyMemory(from: row.hash) }
            } else {
                prev = Array(row.hash)
            }
            expectedSeq += 1
        }
        let events = expectedSeq - 1
        if let anchor, events < anchor.seq { throw Failure.anchor(.logCutShort(anchor: anchor, logEnds: events)) }
        let unreferenced = try objects.map { try $0.all().filter { !checked.contains($0) }.sorted() } ?? []
        return Report(events: events, head: prev.hexString, objects: checked.count, anchor: anchor, unreferencedObjects: unreferenced)
    }

    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    private static func equal(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Bool {
        b.withUnsafeBytes { equal(a, $0) }
    }
}

extension LedgerEvent {
    static let typesWithObjects: Set<String> = ["ImageIngested", "PredictionMade", "CorrectionAccepted", "ModelTrained"]

    /// The SHA-256 of every object this event says exists in objects/.
    package var referencedObjects: [String] {
        switch self {
        case .imageIngested(let e): [e.image]
        case .predictionMade(let e): [e.mask] + (e.probability.map { [$0] } ?? [])
        case .correctionAccepted(let e): [e.mask, e.source] + (e.making?.hintedMask.map { [$0] } ?? [])
        case .modelTrained(let e): [e.model]
        default: []
        }
    }
}
