/// Work that must finish within a time, or be cancelled: a download whose server sends its
/// headers at once and then one byte a minute is held to its whole duration, not only to its head.
enum Deadline {
    struct Passed: Error, CustomStringConvertible {
        let description: String
    }

    static func run(seconds: Double, what: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await body()
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return false
            }
            defer { group.cancelAll() }
            guard try await group.next() == true else {
                throw Passed(description: "\(what) took longer than \(seconds) s")
            }
        }
    }
}
