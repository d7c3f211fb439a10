/// A value only the loop's thread may touch, after swift-nio's `NIOLoopBound`: every read
/// and write checks the thread in debug builds, so a callback that strays off the loop traps
/// instead of racing.
struct LoopBound<Value> {
    private var stored: Value
    private let loop: EventLoop

    init(_ value: Value, loop: EventLoop) {
        stored = value
        self.loop = loop
    }

    var value: Value {
        get {
            loop.assertInLoop()
            return stored
        }
        _modify {
            loop.assertInLoop()
            yield &stored
        }
    }
}
