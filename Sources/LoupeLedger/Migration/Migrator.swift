/// Brings a database to the schema this binary was built with, one migration per
/// transaction, counted by `PRAGMA user_version`.
enum Migrator {
    /// The migrations compiled into this binary, in order: `(file name, SQL)`.
    static var embedded: [(file: String, sql: String)] { EmbeddedMigrations.all }

    static var latestVersion: Int { embedded.count }

    static func migrate(_ connection: Connection) throws {
        let current = try connection.scalarInt("PRAGMA user_version") ?? 0
        guard current <= latestVersion else {
            throw LedgerError.databaseTooNew(databaseVersion: current, binaryVersion: latestVersion)
        }
        for (index, migration) in embedded.enumerated() where index >= current {
            try connection.transaction {
                try connection.execute(migration.sql)
                try connection.execute("PRAGMA user_version = \(index + 1)")
            }
        }
    }
}
