import HarpTensor

/// An `EncodecConvolution` fed block by block: it keeps the input it has not consumed (the
/// context of the next outputs), so the concatenated outputs equal one call on the concatenated
/// input. Causal layers answer as soon as a window is whole; centred ones (non-causal models)
/// wait for their right half of the padding as lookahead.
///
/// The reflect padding at the start needs more samples than the padding; outputs start once that
/// many have arrived (so a causal model's first frames wait for a few more: reflection makes
/// them depend on later samples). `finish()` adds the right padding the whole-file call adds for
/// the total length (reflecting the last samples) and returns the last outputs. (An input whose
/// total length at some layer is no longer than that layer's padding is padded as `_pad1d`
/// pads short inputs only at that end; whole files that short are a few hops long.)
struct StreamingConvolution {
    let layer: EncodecConvolution
    /// Input not yet consumed `[1, in, n]` (after the left padding once started).
    private var pending: Tensor
    /// The last input samples, for reflecting at the end: `[1, in, ≤ historyLength]`.
    private var history: Tensor
    private var started = false
    private var totalLength = 0

    init(_ layer: EncodecConvolution) {
        precondition(layer.groupNorm == nil, "time_group_norm normalises whole chunks; it does not stream")
        self.layer = layer
        pending = Tensor.zeros([1, layer.weight.shape[1], 0])
        history = pending
    }

    private var rightPadding: Int { layer.causal ? 0 : layer.paddingTotal / 2 }
    private var leftPadding: Int { layer.paddingTotal - rightPadding }
    /// Enough samples to reflect the right padding and the largest extra padding.
    private var historyLength: Int { rightPadding + layer.stride + 1 }

    /// The outputs `[1, out, m]` that `input [1, in, n]` completes.
    mutating func push(_ input: Tensor) -> Tensor {
        guard input.shape[2] > 0 else { return empty }
        totalLength += input.shape[2]
        pending = StreamingOps.joined(pending, input)
        history = StreamingOps.joined(history, input)
        history = history.sliced(alongAxis: 2, start: max(0, history.shape[2] - historyLength))
        if !started {
            guard pending.shape[2] > leftPadding else { return empty }
            pending = EncodecConvolution.padded(pending, left: leftPadding, right: 0, mode: layer.padMode)
            started = true
        }
        return consume()
    }

    /// The last outputs, after the right padding for the whole length.
    mutating func finish() -> Tensor {
        guard started else {
            defer { pending = pending.sliced(alongAxis: 2, end: 0) }
            return totalLength > 0 ? layer(pending) : empty
        }
        let right = rightPadding + layer.extraPadding(for: totalLength)
        if right > 0 {
            let reflected = EncodecConvolution.padded(history, left: 0, right: right, mode: layer.padMode)
            pending = StreamingOps.joined(pending, reflected.sliced(alongAxis: 2, start: history.shape[2]))
        }
        return consume()
    }

    private var empty: Tensor { Tensor.zeros([1, layer.outputChannels, 0]) }

    /// Every whole window of `pending`, keeping what the next windows still need.
    private mutating func consume() -> Tensor {
        let kernel = layer.effectiveKernelSize, stride = layer.stride
        guard pending.shape[2] >= kernel else { return empty }
        let count = (pending.shape[2] - kernel) / stride + 1
        let output = layer.convolved(pending.sliced(alongAxis: 2, end: (count - 1) * stride + kernel))
        pending = pending.sliced(alongAxis: 2, start: count * stride)
        return output
    }
}

/// An `EncodecTransposedConvolution` fed block by block: each input frame completes `stride`
/// samples of the untrimmed output; the overlapping `k − stride` samples wait for the next
/// frames. The trim is applied on the way out: the first `left` samples of the whole output are
/// dropped, and `finish()` returns the tail but its last `right` samples.
struct StreamingTransposedConvolution {
    let layer: EncodecTransposedConvolution
    /// Partial sums (without bias) of the next `k − stride` outputs, `[1, out, k − stride]`.
    private var tail: Tensor
    /// Samples still to drop at the front.
    private var dropFront: Int

    init(_ layer: EncodecTransposedConvolution) {
        precondition(layer.groupNorm == nil, "time_group_norm normalises whole chunks; it does not stream")
        self.layer = layer
        tail = Tensor.zeros([1, layer.weight.shape[1], layer.paddingTotal])
        dropFront = layer.paddingTotal - layer.trimRight
    }

    /// `[1, in, frames] → [1, out, frames · stride]` (less the front trim at the start).
    mutating func push(_ input: Tensor) -> Tensor {
        let frames = input.shape[2]
        guard frames > 0 else { return Tensor.zeros([1, layer.weight.shape[1], 0]) }
        let full = convTranspose1d(input, weight: layer.weight, stride: layer.stride)   // [1, out, (frames − 1)·s + k]
        let overlap = layer.paddingTotal
        let summed = full + tail.padded(alongAxis: 2, before: 0, after: full.shape[2] - overlap)
        let ready = frames * layer.stride
        tail = summed.sliced(alongAxis: 2, start: ready)
        return trimmed(summed.sliced(alongAxis: 2, end: ready))
    }

    /// The tail less the right trim.
    mutating func finish() -> Tensor {
        let last = tail.sliced(alongAxis: 2, end: layer.paddingTotal - layer.trimRight)
        tail = tail.sliced(alongAxis: 2, end: 0)
        return trimmed(last)
    }

    private mutating func trimmed(_ x: Tensor) -> Tensor {
        let drop = min(dropFront, x.shape[2])
        dropFront -= drop
        let kept = x.sliced(alongAxis: 2, start: drop)
        return kept.shape[2] > 0 ? kept + layer.bias.reshaped([1, -1, 1]) : kept
    }
}

/// Small helpers for block-wise processing.
enum StreamingOps {
    /// `a` and `b` joined along time (either may be empty).
    static func joined(_ a: Tensor, _ b: Tensor) -> Tensor {
        if a.shape[2] == 0 { return b }
        if b.shape[2] == 0 { return a }
        return Tensor.concatenated([a, b], alongAxis: 2)
    }
}
