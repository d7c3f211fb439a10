import Foundation
import LoupeLedger

/// A fresh folder per test, removed when the test's value goes away.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "loupe-test-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

func ingested(_ index: Int, name: String? = nil) -> PendingEvent {
    let sha = String(format: "%064x", index)
    return PendingEvent(
        stream: "image-\(sha)", expected: .any, eventID: "image:\(sha)",
        event: .imageIngested(ImageIngested(image: sha, originalName: name ?? "im\(index).png", width: 8, height: 6, channels: 3, bytes: 100 + index))
    )
}

func sha(_ index: Int) -> String { String(format: "%064x", index) }
