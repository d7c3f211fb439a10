import Foundation
import LoupeLedger

extension Workspace {
    static let takingPrefix = ".loupe-taking-"

    /// Finishes takes a killed process left half done. A file is renamed to a `.loupe-taking-`
    /// name only after its event is committed and before it is deleted, so its bytes are in
    /// objects/ and it goes; one whose bytes are not (never expected) is put back under a
    /// visible name to be read again. Returns how many were found.
    @discardableResult
    package func finishInterruptedTakes() throws -> Int {
        var found = 0
        for folder in [inbox, corrections] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(Self.takingPrefix) {
                found += 1
                let path = "\(folder)/\(name)"
                if let file = try? FileReading.read(path), objects.contains(ObjectStore.sha256(file.bytes)) {
                    unlink(path)
                } else {
                    rename(path, "\(folder)/recovered\(name.dropFirst(Self.takingPrefix.count - 1))")
                }
            }
        }
        return found
    }
}
