import Foundation

// Usage: MigrationEmbedder OUTPUT.swift MIGRATION.sql...
// Writes `EmbeddedMigrations.all`, the migrations in file-name order, as string literals.
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: MigrationEmbedder OUTPUT.swift MIGRATION.sql...\n".utf8))
    exit(2)
}
var source = "// Generated from Migrations/ by the EmbedMigrations plugin. Do not edit.\n"
source += "enum EmbeddedMigrations {\n    static let all: [(file: String, sql: String)] = [\n"
for path in arguments.dropFirst().sorted() {
    let sql = try String(contentsOfFile: path, encoding: .utf8)
    let file = URL(fileURLWithPath: path).lastPathComponent
    source += "        (\(String(reflecting: file)), \(String(reflecting: sql))),\n"
}
source += "    ]\n}\n"
try source.write(toFile: output, atomically: true, encoding: .utf8)
