import HarpTensor

/// A causal `EncodecConvolution` fed block by block: it keeps the input it has not consumed
/// (the left context of the next outputs), so the concatenated outputs equal one call on the
/// concatenated input.
///
/// The reflect padding on the left needs more samples than the padding; outputs start once that
/// many have arrived. `finish()` adds the right padding the whole-file call adds for the total
/// length and returns the last outputs.
struct StreamingConvolution {
    let layer: EncodecConvolution
    /// Input not yet consumed `[1, in, n]` (after the left padding once started).
    private var pending: Tensor
    private var started = false
    private var totalLength = 0

    init(_ layer: EncodecConvolution) {
        precondition(layer.causal && layer.groupNorm == nil, "only causal, weight-normed convolutions stream")
        self.layer = layer
        pending = Tensor.zeros([1, layer.weight.shape[1], 0])
    }

    /// The outputs `[1, out, m]` that `input [1, in, n]` completes.
    mutating func push(_ input: Tensor) -> Tensor {
        totalLength += input.shape[2]
        pending = StreamingOps.joined(pending, input)
        if !started {
            guard pending.shape[2] > layer.paddingTotal else { return empty }
            pending = EncodecConvolution.padded(pending, left: layer.paddingTotal, right: 0, mode: layer.padMode)
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
        let extra = layer.extraPadding(for: totalLength)
        pending = EncodecConvolution.padded(pending, left: 0, right: extra, mode: layer.padMode)
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

/// A causal `EncodecTransposedConvolution` (all trimming on the right) fed block by block: each
/// input frame completes `stride` output samples; the overlapping tail of `k − stride` samples
/// waits for the next frames.
struct StreamingTransposedConvolution {
    let layer: EncodecTransposedConvolution
    /// Partial sums (without bias) of the next `k − stride` outputs, `[1, out, k − stride]`.
    private var tail: Tensor

    init(_ layer: EncodecTransposedConvolution) {
        precondition(layer.causal && layer.trimRight == layer.paddingTotal && layer.groupNorm == nil,
                     "only causal transposed convolutions trimmed on the right stream")
        self.layer = layer
        tail = Tensor.zeros([1, layer.weight.shape[1], layer.paddingTotal])
    }

    /// `[1, in, frames] → [1, out, frames · stride]`.
    mutating func push(_ input: Tensor) -> Tensor {
        let frames = input.shape[2]
        guard frames > 0 else { return Tensor.zeros([1, layer.weight.shape[1], 0]) }
        let full = convTranspose1d(input, weight: layer.weight, stride: layer.stride)   // [1, out, (frames − 1)·s + k]
        let overlap = layer.paddingTotal
        let summed = full + tail.padded(alongAxis: 2, before: 0, after: full.shape[2] - overlap)
        let ready = frames * layer.stride
        tail = summed.sliced(alongAxis: 2, start: ready)
        return summed.sliced(alongAxis: 2, end: ready) + layer.bias.reshaped([1, -1, 1])
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
