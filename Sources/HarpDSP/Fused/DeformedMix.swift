import Foundation
import HarpTensor

/// The middle of seed 001's layer tail as one primitive: blend each resonance's variants with
/// time-varying weights, mix the result with the dry attack, and scale by a gain:
///
///     deformed[r, t] = Σ_e blend[e, t] · convolved[r, e, t]
///     output[r, t]   = gain[r] · (dry[r] · attacks[r, t] + wet[r] · deformed[r, t])
///
/// The composite it replaces (multiply, sum over e, two broadcast multiplies, add, multiply)
/// allocated six `[R, N]` or `[R, E, N]` temporaries forward and more in their pullbacks; here
/// the forward is one pass and the pullback one pass, in blocks of samples that stay in cache.
///
/// Pullback, with h[r, t] = ∂L/∂output[r, t] · gain[r]:
///
///     ∂/∂attacks[r, t]      = h · dry[r]
///     ∂/∂convolved[r, e, t] = h · wet[r] · blend[e, t]
///     ∂/∂blend[e, t]        = Σ_r h · wet[r] · convolved[r, e, t]
///     ∂/∂dry[r]  = Σ_t h · attacks[r, t]        ∂/∂wet[r] = Σ_t h · deformed[r, t]
///     ∂/∂gain[r] = Σ_t ∂L/∂output · (dry · attacks + wet · deformed)
///
/// Sums over t are taken per block of `DeformedMix.blockLength` samples (in Double, over Float
/// SIMD partials) and the blocks added in order, so results do not depend on the thread count.
///
/// ref: seed 001 `execute_layer` (matching-pursuit @57a2880 `resonancemodel.py`): `x = sum(d * conv,
/// dim=E)`, `sum(mixes * stack([routed, x]), -1)`, then `x * abs(gains)` before the tanh.
///
/// - Parameters:
///   - convolved: `[R, E, N]`.
///   - blend: `[E, N]`.
///   - attacks: `[R, N]`.
///   - dry, wet, gain: `[R]` each.
/// - Returns: `[R, N]`. Differentiable with respect to every input.
public func deformedMix(convolved: Tensor, blend: Tensor, attacks: Tensor, dry: Tensor, wet: Tensor, gain: Tensor) -> Tensor {
    let mix = DeformedMix.checked(convolved: convolved, blend: blend, attacks: attacks, dry: dry, wet: wet, gain: gain)
    let weights = DeformedMix.Weights(dry: dry.scalars, wet: wet.scalars, gain: gain.scalars)
    let result = Tensor(shape: [mix.resonanceCount, mix.sampleCount]) { out in
        convolved.withUnsafeBufferPointer { c in
            blend.withUnsafeBufferPointer { b in
                attacks.withUnsafeBufferPointer { a in
                    mix.forward(convolved: c.baseAddress!, blend: b.baseAddress!, attacks: a.baseAddress!,
                                weights: weights, output: out.baseAddress!)
                }
            }
        }
    }
    return Tensor.recording("deformedMix", result: result, inputs: [convolved, blend, attacks, dry, wet, gain]) { gradient in
        mix.pullback(gradient, convolved: convolved, blend: blend, attacks: attacks, weights: weights,
                     shapes: (dry.shape, wet.shape, gain.shape))
    }
}

/// `deformedMix` followed by the layer's saturation and sum over resonances, fused:
///
///     audio[t] = Σ_r tanh(output[r, t])
///
/// so neither the `[R, N]` mix nor its tanh becomes a tensor, and the pullback feeds
/// ∂L/∂audio[t] · (1 − tanh²) straight into the mix's. (The tanh values, `[R, N]`, are kept for
/// that.)
///
/// ref: seed 001 `execute_layer`: `torch.tanh(x * torch.abs(gains))`, summed over resonances.
///
/// - Returns: `[N]`. Differentiable with respect to every input.
public func saturatedDeformedMix(convolved: Tensor, blend: Tensor, attacks: Tensor, dry: Tensor, wet: Tensor,
                                 gain: Tensor) -> Tensor {
    let mix = DeformedMix.checked(convolved: convolved, blend: blend, attacks: attacks, dry: dry, wet: wet, gain: gain)
    let weights = DeformedMix.Weights(dry: dry.scalars, wet: wet.scalars, gain: gain.scalars)
    let saturated = TensorStorage(uninitializedCount: mix.resonanceCount * mix.sampleCount)
    let result = Tensor(shape: [mix.sampleCount]) { out in
        convolved.withUnsafeBufferPointer { c in
            blend.withUnsafeBufferPointer { b in
                attacks.withUnsafeBufferPointer { a in
                    mix.forward(convolved: c.baseAddress!, blend: b.baseAddress!, attacks: a.baseAddress!,
                                weights: weights, output: saturated.baseAddress, saturatedSum: out.baseAddress!)
                }
            }
        }
    }
    return Tensor.recording("saturatedDeformedMix", result: result, inputs: [convolved, blend, attacks, dry, wet, gain]) { gradient in
        // ∂L/∂output[r, t] = ∂L/∂audio[t] · (1 − tanh²(output[r, t])).
        let rowGradient = Tensor(shape: [mix.resonanceCount, mix.sampleCount]) { out in
            gradient.withUnsafeBufferPointer { g in
                Parallel.forEachChunk(count: mix.resonanceCount, minimumChunk: 1) { rows in
                    for r in rows {
                        let s = saturated.baseAddress + r * mix.sampleCount, o = out.baseAddress! + r * mix.sampleCount
                        for t in 0..<mix.sampleCount { o[t] = g[t] * (1 - s[t] * s[t]) }
                    }
                }
            }
        }
        return mix.pullback(rowGradient, convolved: convolved, blend: blend, attacks: attacks, weights: weights,
                            shapes: (dry.shape, wet.shape, gain.shape))
    }
}

/// Sizes and the two kernels of `deformedMix`.
struct DeformedMix {
    /// Samples per work block: R·(E + 2) rows of it (~300 KB for the seed) stay in L2.
    static let blockLength = 4096

    struct Weights {
        let dry: [Float], wet: [Float], gain: [Float]
    }

    let resonanceCount: Int, variantCount: Int, sampleCount: Int

    /// The sizes of a call, after checking that the operands' shapes agree.
    static func checked(convolved: Tensor, blend: Tensor, attacks: Tensor, dry: Tensor, wet: Tensor, gain: Tensor) -> DeformedMix {
        precondition(convolved.rank == 3, "deformedMix: convolved must be [R, E, N], got \(convolved.shape)")
        let mix = DeformedMix(resonanceCount: convolved.shape[0], variantCount: convolved.shape[1],
                              sampleCount: convolved.shape[2])
        precondition(blend.shape == [mix.variantCount, mix.sampleCount], "deformedMix: blend must be [E, N], got \(blend.shape)")
        precondition(attacks.shape == [mix.resonanceCount, mix.sampleCount], "deformedMix: attacks must be [R, N], got \(attacks.shape)")
        for weights in [dry, wet, gain] {
            precondition(weights.count == mix.resonanceCount, "deformedMix: dry, wet and gain need R values, got \(weights.shape)")
        }
        return mix
    }

    var blockCount: Int { (sampleCount + Self.blockLength - 1) / Self.blockLength }

    func block(_ index: Int) -> Range<Int> {
        (index * Self.blockLength)..<Swift.min(sampleCount, (index + 1) * Self.blockLength)
    }

    /// deformed[t] = Σ_e blend[e, t] · convolved[r, e, t] over `range`, into `deformed[0..<range.count]`.
    func deformed(_ r: Int, _ range: Range<Int>, convolved: UnsafePointer<Float>, blend: UnsafePointer<Float>,
                  into deformed: UnsafeMutablePointer<Float>) {
        let length = range.count
        deformed.update(repeating: 0, count: length)
        for e in 0..<variantCount {
            let c = convolved + (r * variantCount + e) * sampleCount + range.lowerBound
            let b = blend + e * sampleCount + range.lowerBound
            for i in 0..<length { deformed[i] += b[i] * c[i] }
        }
    }

    /// Writes `output` `[R, N]`; with `saturatedSum` `[N]`, writes tanh of it to `output` and the
    /// sum of those over resonances to `saturatedSum`.
    func forward(convolved: UnsafePointer<Float>, blend: UnsafePointer<Float>, attacks: UnsafePointer<Float>,
                 weights: Weights, output: UnsafeMutablePointer<Float>, saturatedSum: UnsafeMutablePointer<Float>? = nil) {
        Parallel.forEachChunk(count: blockCount, minimumChunk: 1) { blocks in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: Self.blockLength)
            defer { scratch.deallocate() }
            for index in blocks {
                let range = block(index)
                let sum = saturatedSum.map { $0 + range.lowerBound }
                sum?.update(repeating: 0, count: range.count)
                for r in 0..<resonanceCount {
                    deformed(r, range, convolved: convolved, blend: blend, into: scratch)
                    let a = attacks + r * sampleCount + range.lowerBound
                    let out = output + r * sampleCount + range.lowerBound
                    let dry = weights.dry[r], wet = weights.wet[r], gain = weights.gain[r]
                    for i in 0..<range.count { out[i] = gain * (dry * a[i] + wet * scratch[i]) }
                    if let sum { Self.saturate(out, addingTo: sum, count: range.count) }
                }
            }
        }
    }

    /// values ← tanh(values); sum += values.
    static func saturate(_ values: UnsafeMutablePointer<Float>, addingTo sum: UnsafeMutablePointer<Float>, count: Int) {
        typealias Lanes = SIMD16<Float>
        let raw = UnsafeMutableRawPointer(values), sumRaw = UnsafeMutableRawPointer(sum)
        var i = 0
        while i + Lanes.scalarCount <= count {
            let offset = i * MemoryLayout<Float>.stride
            let t = VectorMath.tanh(raw.loadUnaligned(fromByteOffset: offset, as: Lanes.self))
            raw.storeBytes(of: t, toByteOffset: offset, as: Lanes.self)
            sumRaw.storeBytes(of: sumRaw.loadUnaligned(fromByteOffset: offset, as: Lanes.self) + t,
                              toByteOffset: offset, as: Lanes.self)
            i += Lanes.scalarCount
        }
        while i < count {
            values[i] = Foundation.tanh(values[i])
            sum[i] += values[i]
            i += 1
        }
    }

    /// Gradients for `[convolved, blend, attacks, dry, wet, gain]`.
    func pullback(_ gradient: Tensor, convolved: Tensor, blend: Tensor, attacks: Tensor, weights: Weights,
                  shapes: ([Int], [Int], [Int])) -> [Tensor?] {
        let storages = (convolved: TensorStorage(uninitializedCount: convolved.count),
                        blend: TensorStorage(uninitializedCount: blend.count),
                        attacks: TensorStorage(uninitializedCount: attacks.count))
        // Per block and resonance: Σ_t g·attacks and Σ_t g·deformed (g the incoming gradient).
        var attackSums = [Double](repeating: 0, count: blockCount * resonanceCount)
        var deformedSums = attackSums
        attackSums.withUnsafeMutableBufferPointer { attackSums in
            deformedSums.withUnsafeMutableBufferPointer { deformedSums in
                gradient.withUnsafeBufferPointer { g in
                    convolved.withUnsafeBufferPointer { c in
                        blend.withUnsafeBufferPointer { b in
                            attacks.withUnsafeBufferPointer { a in
                                Parallel.forEachChunk(count: blockCount, minimumChunk: 1) { blocks in
                                    for index in blocks {
                                        backwardBlock(index, gradient: g.baseAddress!, convolved: c.baseAddress!,
                                                      blend: b.baseAddress!, attacks: a.baseAddress!, weights: weights,
                                                      storages: storages,
                                                      attackSums: attackSums.baseAddress! + index * resonanceCount,
                                                      deformedSums: deformedSums.baseAddress! + index * resonanceCount)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var dry = [Float](repeating: 0, count: resonanceCount), wet = dry, gain = dry
        for r in 0..<resonanceCount {
            var attackSum = 0.0, deformedSum = 0.0
            for index in 0..<blockCount {
                attackSum += attackSums[index * resonanceCount + r]
                deformedSum += deformedSums[index * resonanceCount + r]
            }
            dry[r] = Float(Double(weights.gain[r]) * attackSum)
            wet[r] = Float(Double(weights.gain[r]) * deformedSum)
            gain[r] = Float(Double(weights.dry[r]) * attackSum + Double(weights.wet[r]) * deformedSum)
        }
        return [Tensor(shape: convolved.shape, storage: storages.convolved),
                Tensor(shape: blend.shape, storage: storages.blend),
                Tensor(shape: attacks.shape, storage: storages.attacks),
                Tensor(shape: shapes.0, values: dry), Tensor(shape: shapes.1, values: wet), Tensor(shape: shapes.2, values: gain)]
    }

    private func backwardBlock(
        _ index: Int, gradient: UnsafePointer<Float>, convolved: UnsafePointer<Float>, blend: UnsafePointer<Float>,
        attacks: UnsafePointer<Float>, weights: Weights,
        storages: (convolved: TensorStorage, blend: TensorStorage, attacks: TensorStorage),
        attackSums: UnsafeMutablePointer<Double>, deformedSums: UnsafeMutablePointer<Double>
    ) {
        let range = block(index), length = range.count
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * Self.blockLength)
        defer { scratch.deallocate() }
        let deformedRow = scratch, scaled = scratch + Self.blockLength
        for e in 0..<variantCount {
            (storages.blend.baseAddress + e * sampleCount + range.lowerBound).update(repeating: 0, count: length)
        }
        for r in 0..<resonanceCount {
            let g = gradient + r * sampleCount + range.lowerBound
            let a = attacks + r * sampleCount + range.lowerBound
            deformed(r, range, convolved: convolved, blend: blend, into: deformedRow)
            attackSums[r] = UnitNorm.sumOfProducts(g, a, count: length)
            deformedSums[r] = UnitNorm.sumOfProducts(g, deformedRow, count: length)
            let gain = weights.gain[r], dry = weights.dry[r], wet = weights.wet[r]
            let attackGradient = storages.attacks.baseAddress + r * sampleCount + range.lowerBound
            for i in 0..<length {
                let h = g[i] * gain
                attackGradient[i] = h * dry
                scaled[i] = h * wet
            }
            for e in 0..<variantCount {
                let offset = (r * variantCount + e) * sampleCount + range.lowerBound
                let c = convolved + offset, b = blend + e * sampleCount + range.lowerBound
                let convolvedGradient = storages.convolved.baseAddress + offset
                let blendGradient = storages.blend.baseAddress + e * sampleCount + range.lowerBound
                for i in 0..<length {
                    convolvedGradient[i] = scaled[i] * b[i]
                    blendGradient[i] += scaled[i] * c[i]
                }
            }
        }
    }
}
