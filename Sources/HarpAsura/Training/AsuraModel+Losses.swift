import HarpTensor

extension AsuraModel {
    /// One training forward of a batch `x [batch, example_length_samples, d_signal]`: every loss
    /// term, with the graph recorded for `total.backward()` (ref: alephic/asura
    /// `harp/asura/asura.py`, `ASURA.forward` in training mode).
    ///
    /// With `t_a, t_b ~ p_t` and `s ~ p_s`, `t_s = t_a + s·(t_b − t_a)`:
    /// - `v` learns the conditional flow velocity `y − e` at `z_a = (1 − t_a)·e + t_a·y`, weighted
    ///   by `e^w(t_a)`;
    /// - `u(t_a → t_b)` learns two substeps of itself (`t_a → t_s → t_b`), autoguided by its own
    ///   current output and corrected by `v̂ − u(t_a → t_a)`; `u(t_b → t_a)` learns to jump back to
    ///   `z_a` from where the substeps landed (round-trip velocity consistency);
    /// - `y` learns the jump between `t = 0` and `t = 1` (half the batch each way) that two `u`
    ///   substeps make.
    /// Targets are computed without gradient, as in the reference.
    public func trainingLosses(_ x: Tensor, draws: AsuraDrawSource, trace: AsuraTrace? = nil) -> AsuraLosses {
        var frames = decoderBatch(x, draws: draws, trace: trace)
        let n = frames.count
        if config.encodingDropout > 0 {
            frames.latent = frames.latent * draws.bernoulli(keep: 1 - config.encodingDropout, shape: [n, 1])
        }
        let tA = draws.sample(config.timeDistribution, role: .time, shape: [n]).scalars
        let tB = draws.sample(config.timeDistribution, role: .time, shape: [n]).scalars
        let s = draws.sample(config.substepDistribution, role: .substep, shape: [n]).scalars
        let tS = zip(tA, zip(s, tB)).map { a, sb in a + sb.0 * (sb.1 - a) }
        let noiseM = draws.prior(frames.targetMagnitude.shape, isMagnitude: true)
        let noisePhi = draws.prior(frames.targetPhase.shape, isMagnitude: false)
        let start = FlowPoint(magnitude: Self.interpolate(noiseM, frames.targetMagnitude, at: tA),
                              phase: Self.interpolate(noisePhi, frames.targetPhase, at: tA))

        let jump = withoutGradients { jumpTargets(frames, start: start, tA: tA, tB: tB, tS: tS, s: s, trace: trace) }
        let conditionAB = jumpCondition(t: tA + tB, r: tB + tA, latent: Self.twice(frames.latent),
                                        context: Self.twice(frames.context), trace: trace)
        let back = FlowPoint(magnitude: jump.end.magnitude, phase: jump.end.phase)
        let jumped = jumpPair(frames, first: start, second: back, condition: conditionAB, trace: trace)
        let conditionV = velocityCondition(t: tA, latent: frames.latent, context: frames.context, trace: trace)
        let velocity = decoderPair(frames, start, condition: conditionV, velocity: true, trace: trace)

        let oneStep = withoutGradients { oneStepTargets(frames, draws: draws, trace: trace) }
        let conditionY = oneStepCondition(latent: frames.latent, context: frames.context, trace: trace)
        let predictedOneStep = decoderPair(frames, oneStep.start, condition: conditionY, velocity: false, trace: trace)

        let ag = config.substepAutoguidance
        let (targetM, targetPhi) = withoutGradients {
            (ag * jump.average.magnitude + (1 - ag) * jumped.forward.magnitude + (velocity.magnitude - jump.stay.magnitude),
             ag * jump.average.phase + (1 - ag) * jumped.forward.phase + (velocity.phase - jump.stay.phase))
        }
        let w = adaptiveWeight(t: tA, trace: trace)
        let msevM = (velocity.magnitude - (frames.targetMagnitude - noiseM)).square().mean(alongAxes: [1, 2])
        let msevPhi = (velocity.phase - (frames.targetPhase - noisePhi)).square().mean(alongAxes: [1, 2])
        var losses = AsuraLosses(
            weight: Tensor(scalar: 0) - w.mean(),
            velocityMagnitude: (w.exp() * msevM).mean(), velocityMagnitudeRaw: msevM.mean(),
            velocityPhase: (w.exp() * msevPhi).mean(), velocityPhaseRaw: msevPhi.mean(),
            jumpMagnitude: Self.mse(jumped.forward.magnitude, targetM.detached())
                + Self.mse(jumped.backward.magnitude, jump.average.magnitude),
            jumpPhase: Self.mse(jumped.forward.phase, targetPhi.detached())
                + Self.mse(jumped.backward.phase, jump.average.phase),
            oneStepMagnitude: Self.mse(predictedOneStep.magnitude, oneStep.target.magnitude),
            oneStepPhase: Self.mse(predictedOneStep.phase, oneStep.target.phase),
            total: Tensor(scalar: 0))
        losses.total = losses.weight + losses.velocityMagnitude + losses.velocityPhase + losses.jumpMagnitude
            + losses.jumpPhase + losses.oneStepMagnitude + losses.oneStepPhase
        return losses
    }

    /// A point on the flow: magnitude and phase frames.
    struct FlowPoint {
        var magnitude: Tensor
        var phase: Tensor
    }

    /// The no-gradient part of the jump objective.
    struct JumpTargets {
        /// `u(t_a → t_a)` (the correction's baseline), the substep average, and where it lands at `t_b`.
        var stay: FlowPoint, average: FlowPoint, end: FlowPoint
    }

    func jumpTargets(_ frames: DecoderBatch, start: FlowPoint, tA: [Float], tB: [Float], tS: [Float], s: [Float],
                     trace: AsuraTrace?) -> JumpTargets {
        let condition = jumpCondition(t: tA + tA, r: tA + tS, latent: Self.twice(frames.latent),
                                      context: Self.twice(frames.context), trace: trace)
        let both = jumpPair(frames, first: start, second: start, condition: condition, trace: trace)
        let (stay, toSubstep) = (both.forward, both.backward)
        let middle = FlowPoint(magnitude: start.magnitude + Self.column(zip(tS, tA).map(-)) * toSubstep.magnitude,
                               phase: start.phase + Self.column(zip(tS, tA).map(-)) * toSubstep.phase)
        let conditionSB = jumpCondition(t: tS, r: tB, latent: frames.latent, context: frames.context, trace: trace)
        let fromSubstep = decoderPair(frames, middle, condition: conditionSB, jump: true, trace: trace)
        let weight = Self.column(s)
        let average = FlowPoint(magnitude: weight * toSubstep.magnitude + (1 - weight) * fromSubstep.magnitude,
                                phase: weight * toSubstep.phase + (1 - weight) * fromSubstep.phase)
        let span = Self.column(zip(tB, tA).map(-))
        let end = FlowPoint(magnitude: start.magnitude + span * average.magnitude, phase: start.phase + span * average.phase)
        return JumpTargets(stay: stay, average: average, end: end)
    }

    /// The one-step decoders' inputs (the start point, at `t = 0` or `t = 1`) and targets.
    func oneStepTargets(_ frames: DecoderBatch, draws: AsuraDrawSource, trace: AsuraTrace?)
        -> (start: FlowPoint, target: FlowPoint) {
        let n = frames.count
        // Training: the first half jumps noise → data, the second data → noise.
        let from = (0..<n).map { $0 < n / 2 ? Float(0) : 1 }, to = from.map { 1 - $0 }
        let noiseM = draws.prior(frames.targetMagnitude.shape, isMagnitude: true)
        let noisePhi = draws.prior(frames.targetPhase.shape, isMagnitude: false)
        let s = draws.sample(config.substepDistribution, role: .substep, shape: [n]).scalars
        let middleTime = zip(from, zip(s, to)).map { a, sb in a + sb.0 * (sb.1 - a) }
        let start = FlowPoint(magnitude: Self.interpolate(noiseM, frames.targetMagnitude, at: from),
                              phase: Self.interpolate(noisePhi, frames.targetPhase, at: from))
        let first = decoderPair(frames, start, condition: jumpCondition(t: from, r: middleTime, latent: frames.latent,
                                                                         context: frames.context, trace: trace),
                                jump: true, trace: trace)
        let step = Self.column(zip(middleTime, from).map(-))
        let middle = FlowPoint(magnitude: start.magnitude + step * first.magnitude, phase: start.phase + step * first.phase)
        let second = decoderPair(frames, middle, condition: jumpCondition(t: middleTime, r: to, latent: frames.latent,
                                                                          context: frames.context, trace: trace),
                                 jump: true, trace: trace)
        let weight = Self.column(s), fromColumn = Self.column(from)
        let target = FlowPoint(magnitude: weight * first.magnitude + (1 - weight) * second.magnitude,
                               phase: weight * first.phase + (1 - weight) * second.phase)
        let origin = FlowPoint(magnitude: start.magnitude - fromColumn * target.magnitude,
                               phase: start.phase - fromColumn * target.phase)
        return (origin, target)
    }

    // MARK: Decoder calls

    /// The magnitude and phase decoders of one kind at `point`: the magnitude decoder sees the
    /// previous magnitudes and `point`'s; the phase decoder also the current context magnitude and
    /// the previous phases. `jump` selects `u`, else `velocity` selects `v`, else `y`.
    func decoderPair(_ frames: DecoderBatch, _ point: FlowPoint, condition: Tensor, jump: Bool = false,
                     velocity: Bool = false, trace: AsuraTrace?) -> FlowPoint {
        let (nameM, decoderM, namePhi, decoderPhi) = jump
            ? ("decoder_u_m", jumpMagnitude, "decoder_u_phi", jumpPhase)
            : velocity ? ("decoder_v_m", velocityMagnitude, "decoder_v_phi", velocityPhase)
            : ("decoder_y_m", oneStepMagnitude, "decoder_y_phi", oneStepPhase)
        let magnitude = decode(nameM, decoderM, magnitudeInput(frames, point.magnitude), aux: condition, trace: trace)
        let phase = decode(namePhi, decoderPhi, phaseInput(frames, point.phase), aux: condition, trace: trace)
        return FlowPoint(magnitude: magnitude, phase: phase)
    }

    /// The jump decoders on two stacked batches (`first` then `second`) under one call, as the
    /// reference batches them; returns the halves.
    func jumpPair(_ frames: DecoderBatch, first: FlowPoint, second: FlowPoint, condition: Tensor,
                  trace: AsuraTrace?) -> (forward: FlowPoint, backward: FlowPoint) {
        let n = frames.count
        let inputM = Tensor.concatenated([magnitudeInput(frames, first.magnitude), magnitudeInput(frames, second.magnitude)],
                                         alongAxis: 0)
        let inputPhi = Tensor.concatenated([phaseInput(frames, first.phase), phaseInput(frames, second.phase)], alongAxis: 0)
        let m = decode("decoder_u_m", jumpMagnitude, inputM, aux: condition, trace: trace).split(sizes: [n, n], alongAxis: 0)
        let phi = decode("decoder_u_phi", jumpPhase, inputPhi, aux: condition, trace: trace).split(sizes: [n, n], alongAxis: 0)
        return (FlowPoint(magnitude: m[0], phase: phi[0]), FlowPoint(magnitude: m[1], phase: phi[1]))
    }

    func magnitudeInput(_ frames: DecoderBatch, _ magnitude: Tensor) -> Tensor {
        Tensor.concatenated([frames.previousMagnitude, magnitude], alongAxis: 2)
    }

    func phaseInput(_ frames: DecoderBatch, _ phase: Tensor) -> Tensor {
        Tensor.concatenated([frames.previousMagnitude, frames.contextMagnitude, frames.previousPhase, phase], alongAxis: 2)
    }

    // MARK: Helpers

    /// `(1 − t)·noise + t·data`, `t` per row.
    static func interpolate(_ noise: Tensor, _ data: Tensor, at t: [Float]) -> Tensor {
        let column = column(t)
        return (1 - column) * noise + column * data
    }

    /// `[count, 1, 1]`, to scale frames row by row.
    static func column(_ values: [Float]) -> Tensor { Tensor(shape: [values.count, 1, 1], values: values) }

    /// `x` stacked on itself along the batch (`x.repeat(2, 1)`).
    static func twice(_ x: Tensor) -> Tensor { Tensor.concatenated([x, x], alongAxis: 0) }

    /// `F.mse_loss`: the mean squared difference.
    static func mse(_ a: Tensor, _ b: Tensor) -> Tensor { (a - b).square().mean() }
}
