import Foundation

/// Walks the hash chain and re-hashes every object the log refers to.
public enum Verifier {
    public struct Report: Sendable, Equatable {
        public var events: Int
        public var head: String
        public var objects: Int
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case gap(expectedSeq: Int, found: Int)
        case brokenLink(seq: Int)
        case badHash(seq: Int)
        case unreadable(seq: Int, reason: String)
        case object(seq: Int, LedgerError)

        public var description: String {
            switch self {
            case .gap(let expected, let found): "seq \(expected) is missing (next row is seq \(found)): a row was deleted"
            case .brokenLink(let seq): "seq \(seq): prev_hash does not match the hash of the row before it"
            case .badHash(let seq): "seq \(seq): the row no longer matches its hash (edited after it was written)"
            case .unreadable(let seq, let reason): "seq \(seq): payload does not decode: \(reason)"
            case .object(let seq, let error): "seq \(seq): \(error)"
            }
        }
    }

    public static func verify(_ ledger: Ledger, objects: ObjectStore?) throws -> Report {
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
        return Report(events: expectedSeq - 1, head: prev.hexString, objects: checked.count)
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
    public var referencedObjects: [String] {
        switch self {
        case .imageIngested(let e): [e.image]
        case .predictionMade(let e): [e.mask]
        case .correctionAccepted(let e): [e.mask, e.source]
        case .modelTrained(let e): [e.model]
        default: []
        }
    }
}
