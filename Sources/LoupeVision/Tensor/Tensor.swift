/// A batch of float32 feature maps in NCHW order over one contiguous array.
///
/// Layers read and write `storage` through raw pointers; the value semantics of the array keep
/// activations that the backward pass still needs safe from in-place updates elsewhere.
public struct Tensor: Sendable, Equatable {
    public let batch: Int
    public let channels: Int
    public let height: Int
    public let width: Int
    public var storage: [Float]

    public init(batch: Int, channels: Int, height: Int, width: Int, repeating value: Float = 0) {
        self.batch = batch
        self.channels = channels
        self.height = height
        self.width = width
        storage = [Float](repeating: value, count: batch * channels * height * width)
    }

    public init(batch: Int, channels: Int, height: Int, width: Int, storage: [Float]) {
        precondition(storage.count == batch * channels * height * width, "storage does not match the shape")
        self.batch = batch
        self.channels = channels
        self.height = height
        self.width = width
        self.storage = storage
    }

    /// For outputs that a kernel overwrites completely: skips zero-filling large buffers.
    init(uninitializedBatch batch: Int, channels: Int, height: Int, width: Int) {
        self.batch = batch
        self.channels = channels
        self.height = height
        self.width = width
        let count = batch * channels * height * width
        storage = [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Stands in for an activation that is no longer needed, releasing its storage.
    static let empty = Tensor(batch: 0, channels: 0, height: 0, width: 0)

    public var planeSize: Int { height * width }
    public var imageSize: Int { channels * height * width }
    public var count: Int { storage.count }

    public subscript(n: Int, c: Int, y: Int, x: Int) -> Float {
        get { storage[((n * channels + c) * height + y) * width + x] }
        set { storage[((n * channels + c) * height + y) * width + x] = newValue }
    }

    func hasShape(of other: Tensor) -> Bool {
        batch == other.batch && channels == other.channels && height == other.height && width == other.width
    }
}
