import HarpTensor

/// The time axis of DeepFilterNet's convolutions with a kernel longer than one frame
/// (causal: `kernel − 1` frames of zero padding before, none after), for a block of frames and
/// the frames remembered from earlier blocks.
///
/// A 2-D convolution with kernel `[kt, kf]` over `[channels, time, freq]` equals a 1-D convolution
/// over frequency whose input channels are the `kt` frames of each channel (`channel · kt + k`);
/// this turns a block `[frames, channels, freq]` into that input.
struct CausalFrames {
    /// Taps along time.
    let kernel: Int
    /// The last `kernel − 1` frames seen, `[kernel − 1, channels, freq]` (zeros at the start).
    private(set) var history: Tensor

    init(kernel: Int, channels: Int, bins: Int) {
        self.kernel = kernel
        history = Tensor.zeros([kernel - 1, channels, bins])
    }

    /// `[frames, channels, freq]` → `[frames, channels · kernel, freq]`, where entry
    /// `[t, c · kernel + k, f]` is frame `t − (kernel − 1) + k` of channel `c`. Remembers the
    /// block's last `kernel − 1` frames for the next call.
    mutating func stacked(_ block: Tensor) -> Tensor {
        let frames = block.shape[0], channels = block.shape[1], bins = block.shape[2]
        let padded = Tensor.concatenated([history, block], alongAxis: 0)
        history = padded.sliced(alongAxis: 0, start: frames, end: frames + kernel - 1)
        let taps = (0..<kernel).map { padded.sliced(alongAxis: 0, start: $0, end: $0 + frames) }
        return Tensor.stacked(taps, alongAxis: 2).reshaped([frames, channels * kernel, bins])
    }
}
