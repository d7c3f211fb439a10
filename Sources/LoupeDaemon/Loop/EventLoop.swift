import CLibUV
import Foundation

/// The daemon's libuv loop. Everything that touches it, and every handle on it, must be used
/// on the thread that made it, which also calls `run()`: libuv handles are not thread-safe.
package final class EventLoop {
    let raw: UnsafeMutablePointer<uv_loop_t>
    private let owner = pthread_self()

    package init() {
        raw = .allocate(capacity: 1)
        let rc = uv_loop_init(raw)
        precondition(rc == 0, "uv_loop_init failed: \(UVError(rc))")
    }

    deinit {
        uv_loop_close(raw)
        raw.deallocate()
    }

    /// Runs until no active handle or request is left.
    package func run() {
        uv_run(raw, UV_RUN_DEFAULT)
    }

    /// Traps in debug builds when called off the loop's thread.
    func assertInLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(pthread_equal(owner, pthread_self()) != 0, "must be called on the event loop's thread", file: file, line: line)
    }

    /// Milliseconds of the loop's clock, cached at the start of each iteration.
    package var now: UInt64 { uv_now(raw) }
}

/// A libuv error code with libuv's own words for it.
package struct UVError: Error, CustomStringConvertible {
    package let code: Int32

    init(_ code: Int32) {
        self.code = code
    }

    package var description: String { "\(String(cString: uv_err_name(code))): \(String(cString: uv_strerror(code)))" }

    static func check(_ rc: Int32) throws {
        if rc < 0 { throw UVError(rc) }
    }
}

/// Hands a handle back to libuv for closing; its memory is freed in the close callback, the
/// only moment libuv guarantees it no longer looks at it.
func closeHandle<Handle>(_ handle: UnsafeMutablePointer<Handle>) {
    let base = UnsafeMutableRawPointer(handle).assumingMemoryBound(to: uv_handle_t.self)
    guard uv_is_closing(base) == 0 else { return }
    uv_close(base) { closed in
        UnsafeMutableRawPointer(closed)?.deallocate()
    }
}
