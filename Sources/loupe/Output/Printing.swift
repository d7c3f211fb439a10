import Foundation

func printError(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
}

/// One JSON object per line, keys sorted, for scripts.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
