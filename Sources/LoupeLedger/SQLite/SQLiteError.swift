import CSQLite

/// A failed SQLite call, with SQLite's own message and the statement that failed.
struct SQLiteError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    let sql: String?

    var description: String {
        sql.map { "SQLite error \(code): \(message) (in: \($0))" } ?? "SQLite error \(code): \(message)"
    }
}

extension SQLiteError {
    /// Busy, locked, full or failing storage: the same write may succeed later.
    var isTransient: Bool {
        [SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM].contains(code & 0xff)
    }
}

/// Whether a ledger error is of the moment (a busy database, a full or failing disk) rather
/// than of the request: the callers answer "try again later" for these and keep what they hold.
package func isTransientLedgerError(_ error: any Error) -> Bool {
    (error as? SQLiteError)?.isTransient ?? false
}
