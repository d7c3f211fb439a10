import Foundation

/// The page and the OpenAPI document, decoded once from the table the build compiled in.
struct StaticFiles: Sendable {
    struct File: Sendable {
        let bytes: [UInt8]
        let contentType: String
    }

    static let shared = StaticFiles()

    let files: [String: File]

    private init() {
        var files: [String: File] = [:]
        for (name, base64) in EmbeddedStatic.files {
            guard let data = Data(base64Encoded: base64) else { continue }
            files[name] = File(bytes: Array(data), contentType: Self.contentType(of: name))
        }
        self.files = files
    }

    static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        default: "application/octet-stream"
        }
    }
}
