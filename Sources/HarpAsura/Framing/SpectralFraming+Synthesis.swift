import HarpTensor

extension SpectralFraming {
    /// Audio of phase frames `[batch, frames, bins, 2·channels]` → `[batch, (frames − 1)·hop +
    /// frameSamples, channels]` (the reference's `frames_to_signal`), through `FrameSynthesizer`
    /// so that offline and streaming synthesis are one code path.
    public func signal(ofPhaseFrames frames: Tensor) -> Tensor {
        let (batch, count, bins, width) = (frames.shape[0], frames.shape[1], frames.shape[2], frames.shape[3])
        precondition(bins == self.bins && width % 2 == 0, "synthesis: frames \(frames.shape) do not fit \(self.bins) bins")
        let channels = width / 2
        let values = frames.scalars
        let frameSize = bins * width
        var out = [Float]()
        out.reserveCapacity(batch * ((count - 1) * hop + frameSamples) * channels)
        for b in 0..<batch {
            var synthesizer = FrameSynthesizer(framing: self, channelCount: channels)
            for f in 0..<count {
                let start = (b * count + f) * frameSize
                out += synthesizer.push(Array(values[start..<(start + frameSize)]))
            }
            out += synthesizer.finish()
        }
        return Tensor(shape: [batch, (count - 1) * hop + frameSamples, channels], values: out)
    }
}
