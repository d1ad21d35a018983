import HarpTensor

/// The keys and values of every position a decoder has seen, per layer, so a step attends to the
/// past without recomputing it.
///
/// Each layer owns two buffers `[batch, capacity, heads·headWidth]` filled from the front;
/// attention reads their first `length` rows in place (`scaledDotProductAttention(keyLength:)`).
public final class KeyValueCache {
    public let batch: Int
    public let capacity: Int
    public let width: Int
    private(set) var keys: [Tensor]
    private(set) var values: [Tensor]
    /// The positions stored so far.
    public private(set) var length = 0

    public init(layerCount: Int, batch: Int, capacity: Int, width: Int) {
        self.batch = batch
        self.capacity = capacity
        self.width = width
        keys = (0..<layerCount).map { _ in Tensor.zeros([batch, capacity, width]) }
        values = (0..<layerCount).map { _ in Tensor.zeros([batch, capacity, width]) }
    }

    /// Writes `newKeys`, `newValues` `[batch, steps, width]` for `layer` after the stored positions.
    /// `length` moves on only with `advance(by:)`, once every layer has written.
    func store(layer: Int, keys newKeys: Tensor, values newValues: Tensor) {
        let steps = newKeys.shape[1]
        precondition(newKeys.shape == [batch, steps, width] && newValues.shape == newKeys.shape,
                     "cache: \(newKeys.shape) into [\(batch), \(capacity), \(width)]")
        precondition(length + steps <= capacity, "cache: \(length + steps) positions exceed its capacity \(capacity)")
        for item in 0..<batch {
            for (buffer, source) in [(keys[layer], newKeys), (values[layer], newValues)] {
                let target = Tensor(shape: [steps, width], storage: buffer.storage,
                                    offset: buffer.offset + (item * capacity + length) * width)
                target.assign(Tensor(shape: [steps, width], storage: source.storage,
                                     offset: source.offset + item * steps * width))
            }
        }
    }

    /// Counts `steps` more stored positions.
    func advance(by steps: Int) {
        length += steps
    }
}
