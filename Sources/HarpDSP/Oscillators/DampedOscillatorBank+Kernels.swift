import HarpTensor

// The forward and gradient loops of `DampedOscillatorBank`, split over groups across cores.
// Each group's samples are produced (or consumed) in blocks of B = 32 through a zero-padded
// scratch buffer, so a sample count that is not a multiple of B needs no special path.

extension DampedOscillatorBank {
    /// Per-oscillator constants of one group: in-block power tables (Float, oscillator-major) and
    /// the block step w^B (Double).
    struct GroupTables {
        var powersReal: [Float]
        var powersImaginary: [Float]
        var blockStep: [Complex]
        var poles: [Complex]
    }

    func tables(group g: Int) -> GroupTables {
        var tables = GroupTables(powersReal: [], powersImaginary: [], blockStep: [], poles: [])
        tables.powersReal.reserveCapacity(oscillatorCount * Self.blockLength)
        tables.powersImaginary.reserveCapacity(oscillatorCount * Self.blockLength)
        for o in 0..<oscillatorCount {
            let w = pole(index(o, g))
            let powers = inBlockPowers(w)
            tables.powersReal += powers.real
            tables.powersImaginary += powers.imaginary
            tables.blockStep.append(w.power(Self.blockLength))
            tables.poles.append(w)
        }
        return tables
    }

    /// Writes `[groups, sampleCount]` samples into `output`.
    func render(into output: UnsafeMutableBufferPointer<Float>) {
        guard let base = output.baseAddress, sampleCount > 0 else { return }
        Parallel.forEachChunk(count: groupCount, minimumChunk: 1) { groups in
            var scratch = [Float](repeating: 0, count: blockCount * Self.blockLength)
            for g in groups {
                renderGroup(g, into: &scratch)
                scratch.withUnsafeBufferPointer { source in
                    (base + g * sampleCount).update(from: source.baseAddress!, count: sampleCount)
                }
            }
        }
    }

    private func renderGroup(_ g: Int, into scratch: inout [Float]) {
        let tables = tables(group: g)
        let count = oscillatorCount
        // The state of oscillator o before block b is c·w^(bB), with c = amplitude·e^(−i·phase),
        // kept as four Double arrays so the inner loop touches plain memory.
        let stateReal = UnsafeMutablePointer<Double>.allocate(capacity: 4 * count)
        defer { stateReal.deallocate() }
        let stateImaginary = stateReal + count, stepReal = stateReal + 2 * count, stepImaginary = stateReal + 3 * count
        for o in 0..<count {
            let i = index(o, g)
            let c = Complex(polar: Double(amplitude[i]), angle: -Double(phase[i]))
            stateReal[o] = c.real; stateImaginary[o] = c.imaginary
            stepReal[o] = tables.blockStep[o].real; stepImaginary[o] = tables.blockStep[o].imaginary
        }
        tables.powersReal.withUnsafeBufferPointer { real in
            tables.powersImaginary.withUnsafeBufferPointer { imaginary in
                scratch.withUnsafeMutableBufferPointer { out in
                    let realRaw = UnsafeRawPointer(real.baseAddress!)
                    let imaginaryRaw = UnsafeRawPointer(imaginary.baseAddress!)
                    let outRaw = UnsafeMutableRawPointer(out.baseAddress!)
                    let half = MemoryLayout<Block>.size
                    for b in 0..<blockCount {
                        var low = Block(), high = Block()
                        for o in 0..<count {
                            let sr = stateReal[o], si = stateImaginary[o]
                            let at = o * 2 * half
                            // Re(s · wʲ) = Re(s)·Re(wʲ) − Im(s)·Im(wʲ)
                            let r = Block(repeating: Float(sr)), m = Block(repeating: -Float(si))
                            low.addProduct(r, realRaw.loadUnaligned(fromByteOffset: at, as: Block.self))
                            low.addProduct(m, imaginaryRaw.loadUnaligned(fromByteOffset: at, as: Block.self))
                            high.addProduct(r, realRaw.loadUnaligned(fromByteOffset: at + half, as: Block.self))
                            high.addProduct(m, imaginaryRaw.loadUnaligned(fromByteOffset: at + half, as: Block.self))
                            stateReal[o] = sr * stepReal[o] - si * stepImaginary[o]
                            stateImaginary[o] = sr * stepImaginary[o] + si * stepReal[o]
                        }
                        outRaw.storeBytes(of: low, toByteOffset: b * 2 * half, as: Block.self)
                        outRaw.storeBytes(of: high, toByteOffset: b * 2 * half + half, as: Block.self)
                    }
                }
            }
        }
    }
}

extension DampedOscillatorBank {
    struct Gradients {
        var amplitude: [Float], decay: [Float], frequency: [Float], phase: [Float]
    }

    /// The gradients of Σ G·output with respect to the four inputs, from S₀ = Σₙ Gₙ wⁿ and
    /// S₁ = Σₙ n·Gₙ wⁿ per oscillator:
    ///
    ///     ∂/∂amplitude = Re(e^(−iφ)S₀)            ∂/∂phase     =  A·Im(e^(−iφ)S₀)
    ///     ∂/∂decay     = −A·Δ·Re(e^(−iφ)S₁)       ∂/∂frequency = −A·Δ·Im(e^(−iφ)S₁)
    func gradients(outputGradient: [Float]) -> Gradients {
        let total = oscillatorCount * groupCount
        var result = Gradients(amplitude: .init(repeating: 0, count: total),
                               decay: .init(repeating: 0, count: total),
                               frequency: .init(repeating: 0, count: total),
                               phase: .init(repeating: 0, count: total))
        guard sampleCount > 0 else { return result }
        let sums = UnsafeMutableBufferPointer<(Complex, Complex)>.allocate(capacity: total)
        defer { sums.deallocate() }
        outputGradient.withUnsafeBufferPointer { gradient in
            Parallel.forEachChunk(count: groupCount, minimumChunk: 1) { groups in
                var padded = [Float](repeating: 0, count: blockCount * Self.blockLength)
                for g in groups {
                    padded.withUnsafeMutableBufferPointer {
                        $0.baseAddress!.update(from: gradient.baseAddress! + g * sampleCount, count: sampleCount)
                    }
                    let tables = tables(group: g)
                    padded.withUnsafeBufferPointer { samples in
                        for o in 0..<oscillatorCount {
                            sums[index(o, g)] = powerSums(samples.baseAddress!, pole: tables.poles[o])
                        }
                    }
                }
            }
        }
        for i in 0..<total {
            let (s0, s1) = sums[i]
            let rotation = Complex(polar: 1, angle: -Double(phase[i]))
            let r0 = rotation * s0, r1 = rotation * s1
            let a = Double(amplitude[i])
            result.amplitude[i] = Float(r0.real)
            result.phase[i] = Float(a * r0.imaginary)
            result.decay[i] = Float(-a * timeStep * r1.real)
            result.frequency[i] = Float(-a * timeStep * r1.imaginary)
        }
        return result
    }

    /// (S₀, S₁) for one oscillator over a zero-padded gradient of `blockCount · B` samples.
    ///
    /// Sums run over sub-blocks of L = 16 samples: lane j collects Σ_k G[kL+j]·w^(kL) (and the same
    /// weighted by k); lanes are combined with wʲ at the end. Two interleaved Double recurrences
    /// (even and odd sub-blocks, each stepping by w^(2L)) hide the multiply latency; 8 SIMD16
    /// accumulators fit AVX2's 16 registers. Float accumulators are flushed into Double every 256
    /// sub-blocks to keep long sums accurate; the Double totals are SIMD locals rather than arrays,
    /// because the flush through heap arrays (every 64 sub-blocks) took a quarter of this loop's time.
    ///
    /// The loop works on a raw pointer with every piece of state a local of this function: when
    /// the loop sat in a `withUnsafeBufferPointer` closure, the Double recurrences were captured
    /// variables kept in memory, putting a store and a reload on their critical path.
    private func powerSums(_ gradient: UnsafePointer<Float>, pole: Complex) -> (Complex, Complex) {
        let lanes = 16, flushInterval = 256
        let subBlockCount = blockCount * Self.blockLength / lanes   // even: B = 2L
        typealias Totals = SIMD16<Double>
        var total0Real = Totals(), total0Imaginary = Totals(), total1Real = Totals(), total1Imaginary = Totals()
        let firstOdd = pole.power(lanes), step = pole.power(2 * lanes)
        var evenReal = 1.0, evenImaginary = 0.0, oddReal = firstOdd.real, oddImaginary = firstOdd.imaginary
        let raw = UnsafeRawPointer(gradient)
        let size = MemoryLayout<Block>.size
        var chunkStart = 0
        while chunkStart < subBlockCount {
            let chunkEnd = Swift.min(subBlockCount, chunkStart + flushInterval)
            var a0r = Block(), a0i = Block(), a1r = Block(), a1i = Block()
            var k = chunkStart
            while k < chunkEnd {
                let even = raw.loadUnaligned(fromByteOffset: k * size, as: Block.self)
                let odd = raw.loadUnaligned(fromByteOffset: (k + 1) * size, as: Block.self)
                let er = Float(evenReal), ei = Float(evenImaginary)
                let or = Float(oddReal), oi = Float(oddImaginary)
                let weight = Float(k - chunkStart)
                a0r.addProduct(Block(repeating: er), even); a0r.addProduct(Block(repeating: or), odd)
                a0i.addProduct(Block(repeating: ei), even); a0i.addProduct(Block(repeating: oi), odd)
                a1r.addProduct(Block(repeating: weight * er), even)
                a1r.addProduct(Block(repeating: (weight + 1) * or), odd)
                a1i.addProduct(Block(repeating: weight * ei), even)
                a1i.addProduct(Block(repeating: (weight + 1) * oi), odd)
                let nextEvenReal = evenReal * step.real - evenImaginary * step.imaginary
                evenImaginary = evenReal * step.imaginary + evenImaginary * step.real
                evenReal = nextEvenReal
                let nextOddReal = oddReal * step.real - oddImaginary * step.imaginary
                oddImaginary = oddReal * step.imaginary + oddImaginary * step.real
                oddReal = nextOddReal
                k += 2
            }
            // Σ k·x = Σ (k − start)·x + start·Σ x: the Float weights stay small within a chunk.
            let offset = Totals(repeating: Double(chunkStart))
            let c0r = Self.widened(a0r), c0i = Self.widened(a0i)
            total0Real += c0r
            total0Imaginary += c0i
            total1Real += Self.widened(a1r) + offset * c0r
            total1Imaginary += Self.widened(a1i) + offset * c0i
            chunkStart = chunkEnd
        }
        // n = kL + j:  S₀ = Σⱼ V₀[j]·wʲ ;  S₁ = L·Σⱼ V₁[j]·wʲ + Σⱼ j·V₀[j]·wʲ
        var s0 = Complex(0, 0), s1 = Complex(0, 0), power = Complex(1, 0)
        for j in 0..<lanes {
            let v0 = Complex(total0Real[j], total0Imaginary[j]) * power
            let v1 = Complex(total1Real[j], total1Imaginary[j]) * power
            s0 = s0 + v0
            s1 = s1 + Complex(Double(lanes) * v1.real + Double(j) * v0.real,
                              Double(lanes) * v1.imaginary + Double(j) * v0.imaginary)
            power = power * pole
        }
        return (s0, s1)
    }

    /// The lanes of a Float block as Doubles.
    @inline(__always)
    private static func widened(_ block: Block) -> SIMD16<Double> {
        SIMD16<Double>(lowHalf: SIMD8<Double>(block.lowHalf), highHalf: SIMD8<Double>(block.highHalf))
    }
}
