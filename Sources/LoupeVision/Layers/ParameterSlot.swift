/// Where one layer's weights or biases live inside the model's single flat parameter vector.
/// One flat vector keeps Adam, the model file and the gradient checks free of per-layer plumbing.
struct ParameterSlot: Sendable, Equatable {
    let offset: Int
    let count: Int

    /// Hands out consecutive slots in the order layers are declared.
    struct Allocator {
        private(set) var total = 0

        mutating func take(_ count: Int) -> ParameterSlot {
            defer { total += count }
            return ParameterSlot(offset: total, count: count)
        }
    }
}
