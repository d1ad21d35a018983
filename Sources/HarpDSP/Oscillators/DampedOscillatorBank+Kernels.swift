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

    /// True when rows are whole blocks, so kernels read and write them in place.
    var rowsAreWholeBlocks: Bool { sampleCount % Self.blockLength == 0 }

    /// Writes `[groups, sampleCount]` samples into `output`.
    func render(into output: UnsafeMutableBufferPointer<Float>) {
        guard let base = output.baseAddress, sampleCount > 0 else { return }
        Parallel.forEachChunk(count: groupCount, minimumChunk: 1) { groups in
            // Only a partial last block needs the padded scratch (and a copy out of it).
            var scratch = [Float](repeating: 0, count: rowsAreWholeBlocks ? 0 : blockCount * Self.blockLength)
            for g in groups {
                if rowsAreWholeBlocks {
                    renderGroup(g, into: base + g * sampleCount)
                    continue
                }
                scratch.withUnsafeMutableBufferPointer { scratch in
                    renderGroup(g, into: scratch.baseAddress!)
                    (base + g * sampleCount).update(from: scratch.baseAddress!, count: sampleCount)
                }
            }
        }
    }

    /// Writes group g's `blockCount · B` samples to `scratch`.
    private func renderGroup(_ g: Int, into scratch: UnsafeMutablePointer<Float>) {
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
                do {
                    let realRaw = UnsafeRawPointer(real.baseAddress!)
                    let imaginaryRaw = UnsafeRawPointer(imaginary.baseAddress!)
                    let outRaw = UnsafeMutableRawPointer(scratch)
                    let half = MemoryLayout<Block>.size
                    // Adds oscillator o's block to (low, high) and advances its state by w^B.
                    @inline(__always) func accumulate(_ o: Int, _ low: inout Block, _ high: inout Block) {
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
                    for b in 0..<blockCount {
                        // Even and odd oscillators go to separate accumulators: with one set, every
                        // multiply-add waited for the previous one (latency-bound at half the FMA rate).
                        var low = Block(), high = Block(), oddLow = Block(), oddHigh = Block()
                        var o = 0
                        while o + 1 < count {
                            accumulate(o, &low, &high)
                            accumulate(o + 1, &oddLow, &oddHigh)
                            o += 2
                        }
                        if o < count { accumulate(o, &low, &high) }
                        outRaw.storeBytes(of: low + oddLow, toByteOffset: b * 2 * half, as: Block.self)
                        outRaw.storeBytes(of: high + oddHigh, toByteOffset: b * 2 * half + half, as: Block.self)
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
    func gradients(outputGradient: UnsafeBufferPointer<Float>) -> Gradients {
        let total = oscillatorCount * groupCount
        var result = Gradients(amplitude: .init(repeating: 0, count: total),
                               decay: .init(repeating: 0, count: total),
                               frequency: .init(repeating: 0, count: total),
                               phase: .init(repeating: 0, count: total))
        guard sampleCount > 0, groupCount > 0 else { return result }
        let sums = UnsafeMutableBufferPointer<(Complex, Complex)>.allocate(capacity: total)
        defer { sums.deallocate() }
        let gradient = outputGradient.baseAddress!
        Parallel.forEachChunk(count: groupCount, minimumChunk: 1) { groups in
            // Rows of whole blocks are read in place; otherwise through a zero-padded copy.
            var padded = [Float](repeating: 0, count: rowsAreWholeBlocks ? 0 : blockCount * Self.blockLength)
            for g in groups {
                let tables = tables(group: g)
                padded.withUnsafeMutableBufferPointer { padded in
                    var samples = gradient + g * sampleCount
                    if !rowsAreWholeBlocks {
                        padded.baseAddress!.update(from: samples, count: sampleCount)
                        samples = UnsafePointer(padded.baseAddress!)
                    }
                    for o in 0..<oscillatorCount {
                        sums[index(o, g)] = powerSums(samples, pole: tables.poles[o])
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
    /// Sums run over sub-blocks of L = 16 samples, grouped in chunks of C = 256 sub-blocks. With
    /// n = (cC + k)L + j, wⁿ = w^(cCL) · w^(kL) · wʲ, so per chunk the loop only needs
    ///
    ///     U[j] = Σ_k G[(cC + k)L + j] · w^(kL)        W[j] = Σ_k k · G[(cC + k)L + j] · w^(kL)
    ///
    /// with w^(kL) (and k·w^(kL)) read from Float tables made once per oscillator in Double. The
    /// loop therefore has no recurrence at all — only four SIMD16 multiply-adds per sub-block into
    /// accumulators that fit the 16 AVX2 registers (a Double recurrence in the loop had spilled
    /// them to the stack). At the end of a chunk the Float sums are rotated by the chunk's start
    /// w^(cCL) (a Double recurrence stepped once per chunk) and added into Double lanes:
    ///
    ///     V₀[j] += w^(cCL) · U[j]                     V₁[j] += w^(cCL) · (cC · U[j] + W[j])
    ///
    /// and lanes are combined with wʲ at the end.
    private func powerSums(_ gradient: UnsafePointer<Float>, pole: Complex) -> (Complex, Complex) {
        let lanes = 16, chunkLength = 256
        let subBlockCount = blockCount * Self.blockLength / lanes
        let tables = PowerTables(pole: pole, lanes: lanes, count: Swift.min(chunkLength, subBlockCount))
        defer { tables.deallocate() }
        typealias Totals = SIMD16<Double>
        var total0Real = Totals(), total0Imaginary = Totals(), total1Real = Totals(), total1Imaginary = Totals()
        let chunkStep = pole.power(lanes * chunkLength)
        var chunkState = Complex(1, 0)
        let raw = UnsafeRawPointer(gradient)
        let size = MemoryLayout<Block>.size
        var chunkStart = 0
        while chunkStart < subBlockCount {
            let count = Swift.min(chunkLength, subBlockCount - chunkStart)
            var ur = Block(), ui = Block(), wr = Block(), wi = Block()
            let chunk = raw + chunkStart * size
            for k in 0..<count {
                let g = chunk.loadUnaligned(fromByteOffset: k * size, as: Block.self)
                ur.addProduct(Block(repeating: tables.real[k]), g)
                ui.addProduct(Block(repeating: tables.imaginary[k]), g)
                wr.addProduct(Block(repeating: tables.weightedReal[k]), g)
                wi.addProduct(Block(repeating: tables.weightedImaginary[k]), g)
            }
            let cr = Totals(repeating: chunkState.real), ci = Totals(repeating: chunkState.imaginary)
            let offset = Totals(repeating: Double(chunkStart))
            let u0r = Self.widened(ur), u0i = Self.widened(ui)
            let u1r = offset * u0r + Self.widened(wr), u1i = offset * u0i + Self.widened(wi)
            total0Real += cr * u0r - ci * u0i
            total0Imaginary += cr * u0i + ci * u0r
            total1Real += cr * u1r - ci * u1i
            total1Imaginary += cr * u1i + ci * u1r
            chunkState = chunkState * chunkStep
            chunkStart += count
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

    /// w^(kL) and k·w^(kL) for k < count, as four Float tables (computed in Double, rounded once).
    private struct PowerTables {
        let real: UnsafeMutablePointer<Float>, imaginary: UnsafeMutablePointer<Float>
        let weightedReal: UnsafeMutablePointer<Float>, weightedImaginary: UnsafeMutablePointer<Float>

        init(pole: Complex, lanes: Int, count: Int) {
            real = .allocate(capacity: 4 * Swift.max(count, 1))
            imaginary = real + count
            weightedReal = real + 2 * count
            weightedImaginary = real + 3 * count
            let step = pole.power(lanes)
            var power = Complex(1, 0)
            for k in 0..<count {
                real[k] = Float(power.real)
                imaginary[k] = Float(power.imaginary)
                weightedReal[k] = Float(Double(k) * power.real)
                weightedImaginary[k] = Float(Double(k) * power.imaginary)
                power = power * step
            }
        }

        func deallocate() { real.deallocate() }
    }

    /// The lanes of a Float block as Doubles.
    @inline(__always)
    private static func widened(_ block: Block) -> SIMD16<Double> {
        SIMD16<Double>(lowHalf: SIMD8<Double>(block.lowHalf), highHalf: SIMD8<Double>(block.highHalf))
    }
}
