import Foundation
import LoupeLab
import Synchronization

/// What Label Studio's `/setup` told Loupe: the key to fetch task images with, and each
/// project's labeling config. Where Label Studio runs is not taken from it: that is the
/// operator's `labelStudio.url`, so a caller of `/setup` cannot send the key elsewhere.
///
/// Kept in `label-studio.json` in the lab, readable by its owner only, because webhooks can
/// arrive after a restart before Label Studio calls `/setup` again. The key stays out of the
/// event log, which is copied and printed.
final class LabelStudioConnection: Sendable {
    struct Saved: Codable, Equatable {
        var accessToken: String
        /// Label Studio's project id -> its labeling config XML.
        var schemas: [Int: String]
    }

    private let path: String
    private let state: Mutex<Saved?>

    init(lab: String) {
        path = "\(lab)/label-studio.json"
        let saved = FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(Saved.self, from: $0) }
        state = Mutex(saved)
    }

    var current: Saved? { state.withLock { $0 } }

    /// Records a setup; written to disk only when something changed (Label Studio calls
    /// `/setup` before every batch of predictions).
    func setUp(accessToken: String, project: Int, schema: String) throws {
        let changed: Saved? = state.withLock { saved in
            var next = saved ?? Saved(accessToken: accessToken, schemas: [:])
            next.accessToken = accessToken
            next.schemas[project] = schema
            guard next != saved else { return nil }
            saved = next
            return next
        }
        guard let changed else { return }
        let data = try JSONEncoder().encode(changed)
        let temporary = "\(path).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]),
              rename(temporary, path) == 0 else {
            throw APIError(.internalServerError, "internal", "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// A client bound to the configured Label Studio, with the environment's key, else setup's.
    func client(settings: LabelStudioSettings) -> LabelStudioClient {
        let key = ProcessInfo.processInfo.environment["LABEL_STUDIO_API_KEY"] ?? current?.accessToken ?? ""
        return LabelStudioClient(address: settings.address(), key: key, rules: settings)
    }

    func config(project: Int) throws(LabelStudioError) -> LabelingConfig {
        guard let schema = current?.schemas[project] else {
            throw .notSetUp("Label Studio has not called /setup for project \(project) yet: connect the model in the project's settings")
        }
        return try Self.parse(schema)
    }

    static func parse(_ xml: String) throws(LabelStudioError) -> LabelingConfig {
        do { return try LabelingConfig(xml: xml) } catch { throw .badConfig(error.description) }
    }
}
