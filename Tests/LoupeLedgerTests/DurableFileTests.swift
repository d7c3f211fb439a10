import Foundation
import Synchronization
import Testing
@testable import LoupeLedger

@Suite struct DurableFileTests {
    /// The daemon and an on-demand prediction may store the same object at once: each write
    /// has its own temporary file, so both succeed and the file is whole.
    @Test func threadsWritingOnePathAtOnceAllSucceed() throws {
        let folder = TemporaryFolder()
        let path = "\(folder.path)/object"
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            do { try DurableFile.write([UInt8](repeating: UInt8(i), count: 4096), to: path) } catch { failures.add(1, ordering: .relaxed) }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.count == 4096 && Set(bytes).count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["object"])
    }
}
