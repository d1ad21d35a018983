import HarpTensor

/// Overlap-add of equally spaced frames with triangular weights, emitting each sample as soon
/// as no later frame can reach it, so long audio is joined in bounded memory.
///
/// Each frame of length `L` is weighted by `w(t) = 0.5 − |t − 0.5|` at `t = linspace(0, 1, L + 2)[1 … L]`
/// (a frame shorter than `frameLength` uses the first values), and every output sample is
/// divided by the sum of the weights that reached it.
///
/// ref: huggingface/transformers `models/encodec/modeling_encodec.py` (`_linear_overlap_add`).
struct OverlapAdder {
    let stride: Int
    let channelCount: Int
    /// `[frameLength]`.
    private let weight: Tensor
    /// Weighted sum and weight sum of the samples not yet emitted, from `start`.
    private var sum: Tensor
    private var weightSum: Tensor
    private var start = 0

    init(stride: Int, frameLength: Int, channelCount: Int) {
        self.stride = stride
        self.channelCount = channelCount
        let values = (1...frameLength).map { i -> Float in
            let t = Float(i) / Float(frameLength + 1)
            return 0.5 - abs(t - 0.5)
        }
        weight = Tensor(values)
        sum = Tensor.zeros([channelCount, 0])
        weightSum = Tensor.zeros([0])
    }

    /// Adds `frame [channels, length]` starting at sample `offset` (offsets ascending) and
    /// returns the samples before `offset`, which are final: `[channels, offset − emitted]`.
    mutating func add(_ frame: Tensor, at offset: Int) -> Tensor {
        let ready = emit(upTo: offset)
        let length = frame.shape[1]
        let frameWeight = weight.sliced(alongAxis: 0, end: length)
        let end = max(sum.shape[1], length)
        sum = sum.padded(alongAxis: 1, before: 0, after: end - sum.shape[1])
            + (frame * frameWeight).padded(alongAxis: 1, before: 0, after: end - length)
        weightSum = weightSum.padded(alongAxis: 0, before: 0, after: end - weightSum.shape[0])
            + frameWeight.padded(alongAxis: 0, before: 0, after: end - length)
        return ready
    }

    /// The remaining samples.
    mutating func finish() -> Tensor {
        emit(upTo: start + sum.shape[1])
    }

    private mutating func emit(upTo position: Int) -> Tensor {
        let count = min(max(position - start, 0), sum.shape[1])
        let ready = sum.sliced(alongAxis: 1, end: count) / weightSum.sliced(alongAxis: 0, end: count)
        sum = sum.sliced(alongAxis: 1, start: count)
        weightSum = weightSum.sliced(alongAxis: 0, start: count)
        start += count
        return ready
    }
}
