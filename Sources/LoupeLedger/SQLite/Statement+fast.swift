import CSQLite

/// SQLITE_TRANSIENT: SQLite copies bound text and blobs before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Typed binds and borrowed column reads for the hot loops (append, replay, verify): no
/// existential boxes, no variadic arrays, no String or Array per column.
extension Statement {
    @inline(__always)
    func set(_ value: Int, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, Int64(value)))
    }

    @inline(__always)
    func set(_ value: Int?, at index: Int32) throws {
        if let value { try set(value, at: index) } else { try check(sqlite3_bind_null(handle, index)) }
    }

    @inline(__always)
    func set(_ value: Double?, at index: Int32) throws {
        if let value { try check(sqlite3_bind_double(handle, index, value)) } else { try check(sqlite3_bind_null(handle, index)) }
    }

    @inline(__always)
    func set(_ value: String, at index: Int32) throws {
        var value = value
        try value.withUTF8 { try set(text: UnsafeRawBufferPointer($0), at: index) }
    }

    @inline(__always)
    func set(_ value: String?, at index: Int32) throws {
        if let value { try set(value, at: index) } else { try check(sqlite3_bind_null(handle, index)) }
    }

    /// Binds a copy of `text` (UTF-8).
    @inline(__always)
    func set(text: UnsafeRawBufferPointer, at index: Int32) throws {
        guard let pointer = text.baseAddress?.assumingMemoryBound(to: CChar.self) else {
            return try check(sqlite3_bind_text(handle, index, "", 0, transient))
        }
        try check(sqlite3_bind_text(handle, index, pointer, Int32(text.count), transient))
    }

    /// Binds a copy of `blob`.
    @inline(__always)
    func set(blob: UnsafeRawBufferPointer, at index: Int32) throws {
        try check(sqlite3_bind_blob(handle, index, blob.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(blob.count), transient))
    }

    @inline(__always)
    private func check(_ rc: Int32) throws {
        if rc != SQLITE_OK { try connection.check(rc, sql) }
    }

    /// Steps a statement that returns no rows, then resets it (keeping its bindings cleared).
    @inline(__always)
    func execute() throws {
        defer { reset() }
        while try step() {}
    }

    /// The column's text bytes, borrowed: valid until the next step or reset.
    @inline(__always)
    func textBytes(_ column: Int32) -> UnsafeRawBufferPointer {
        let pointer = sqlite3_column_text(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return UnsafeRawBufferPointer(start: pointer.map(UnsafeRawPointer.init), count: count)
    }

    /// The column's blob bytes, borrowed: valid until the next step or reset.
    @inline(__always)
    func blobBytes(_ column: Int32) -> UnsafeRawBufferPointer {
        let pointer = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return UnsafeRawBufferPointer(start: pointer, count: count)
    }
}

extension Connection {
    /// Rows changed by the last INSERT, UPDATE or DELETE on this connection.
    var changes: Int { Int(sqlite3_changes(handle)) }
}
