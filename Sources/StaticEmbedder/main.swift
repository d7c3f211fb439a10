import Foundation

// Usage: StaticEmbedder OUTPUT.swift FILE...
// Writes `EmbeddedStatic.files`: each file's name and bytes, as base64 literals so that any
// file (text or image) survives the trip through Swift source unchanged.
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: StaticEmbedder OUTPUT.swift FILE...\n".utf8))
    exit(2)
}
var source = "// Generated from Static/ by the EmbedStatic plugin. Do not edit.\n"
source += "enum EmbeddedStatic {\n    static let files: [(name: String, base64: String)] = [\n"
for path in arguments.dropFirst().sorted() {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let name = URL(fileURLWithPath: path).lastPathComponent
    source += "        (\(String(reflecting: name)), \"\(data.base64EncodedString())\"),\n"
}
source += "    ]\n}\n"
try source.write(toFile: output, atomically: true, encoding: .utf8)
