import HarpTensor

extension InstrumentModel {
    /// Non-zero entries of the fitted control signal.
    public var activeControlCount: Int {
        controlSignal.scalars.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
    }

    /// True when every value of the fitted control signal is zero. The plane reaches the signal
    /// through a ReLU, so from here no gradient flows back to it and the fit is stuck on silence
    /// (the sparsity penalty can drive short or quiet clips there).
    public var controlSignalIsSilent: Bool {
        withoutGradients { controlSignal.scalars.allSatisfy { $0 == 0 } }
    }

    /// The seed's `compression_ratio`: (deformation values + instrument parameters + 3 per active
    /// control value) / samples — an active value costs its amplitude and two coordinates.
    public var compressionRatio: Double {
        let networkParameters = network.parameters().reduce(0) { $0 + $1.count }
        return Double(deformations.count + networkParameters + 3 * activeControlCount) / Double(configuration.sampleCount)
    }

    /// The seed's `random()` control signal `[C, F]`: uniform values between the fitted plane's
    /// minimum and maximum, centred like the plane (`+ mean`), all but the `eventCount` largest
    /// zeroed (`sparsify`), then rectified.
    public func randomControl(eventCount: Int? = nil, generator: inout RandomGenerator) -> Tensor {
        let c = configuration
        let plane = controlPlane.scalars
        let low = plane.min() ?? 0, high = plane.max() ?? 0
        let draw = Tensor.uniform([c.controlPlaneDimension * c.frameCount], low: low, high: Swift.max(high, low),
                                  generator: &generator).scalars
        let mean = draw.reduce(0, +) / Float(draw.count)
        let centred = draw.map { $0 + mean }
        let keep = Swift.min(eventCount ?? c.randomEventCount, centred.count)
        // Top-k of the signed values; ties resolved by position so the result is deterministic.
        let kept = Set(centred.indices.sorted { centred[$0] != centred[$1] ? centred[$0] > centred[$1] : $0 < $1 }.prefix(keep))
        let values = centred.indices.map { kept.contains($0) ? Swift.max(centred[$0], 0) : 0 }
        return Tensor(shape: [c.controlPlaneDimension, c.frameCount], values: values)
    }

    /// Deformation logits of zero: the resting blend (the seed's random performances use it).
    public var restingDeformations: Tensor {
        Tensor.zeros([configuration.expressivity, configuration.deformationFrameCount])
    }
}
