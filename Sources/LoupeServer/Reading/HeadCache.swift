import Synchronization

/// Answers computed from the projections, kept until the ledger's head moves. The projections
/// change only in the transaction that appends an event, so an answer computed at head seq N
/// holds until seq N+1: under many clients, `status` and `queue` cost one `max(seq)` read
/// instead of their several queries.
final class HeadCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: (head: Int, value: Value)]>([:])

    /// The value for `key` at `head`, computed by `make` only when the head moved since.
    func value(for key: String, head: Int, _ make: () throws -> Value) rethrows -> Value {
        if let hit = entries.withLock({ $0[key] }), hit.head == head { return hit.value }
        let value = try make()
        entries.withLock { entries in
            if entries.count > 64 { entries.removeAll() }
            entries[key] = (head, value)
        }
        return value
    }
}
