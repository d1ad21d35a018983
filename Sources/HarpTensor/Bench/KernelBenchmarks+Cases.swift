import CFFTW

/// Convolution and FFT cases of `KernelBenchmarks`.
extension KernelBenchmarks {
    static func convolution(name: String, _ g: Conv1dGeometry, repeats: Int) -> [Timing] {
        let x = randomBuffer(g.inputElementCount, seed: 4), w = randomBuffer(g.weightElementCount, seed: 5)
        let bias = randomBuffer(g.outputChannelCount, seed: 6), y = randomBuffer(g.outputElementCount, seed: 7)
        let dx = randomBuffer(g.inputElementCount, seed: 8), dw = randomBuffer(g.weightElementCount, seed: 9)
        let db = randomBuffer(g.outputChannelCount, seed: 10)
        defer { [x, w, bias, y, dx, dw, db].forEach { $0.deallocate() } }
        let forward = medianSeconds(repeats: repeats) {
            ConvolutionKernels.conv1dForward(g, input: x, weight: w, bias: bias, output: y)
        }
        let backwardInput = medianSeconds(repeats: repeats) {
            ConvolutionKernels.conv1dBackwardInput(g, outputGradient: y, weight: w, inputGradient: dx)
        }
        let backwardWeight = medianSeconds(repeats: repeats) {
            ConvolutionKernels.conv1dBackwardWeight(g, input: x, outputGradient: y, weightGradient: dw, biasGradient: db)
        }
        return [
            Timing(name: "\(name) forward", seconds: forward, referenceName: nil, referenceSeconds: nil),
            Timing(name: "\(name) backward input", seconds: backwardInput, referenceName: nil, referenceSeconds: nil),
            Timing(name: "\(name) backward weight+bias", seconds: backwardWeight, referenceName: nil, referenceSeconds: nil),
        ]
    }

    static func transposedConvolution(name: String, _ g: ConvTranspose1dGeometry, repeats: Int) -> [Timing] {
        let x = randomBuffer(g.inputElementCount, seed: 4), w = randomBuffer(g.weightElementCount, seed: 5)
        let bias = randomBuffer(g.outputChannelCount, seed: 6), y = randomBuffer(g.outputElementCount, seed: 7)
        let dx = randomBuffer(g.inputElementCount, seed: 8), dw = randomBuffer(g.weightElementCount, seed: 9)
        let db = randomBuffer(g.outputChannelCount, seed: 10)
        defer { [x, w, bias, y, dx, dw, db].forEach { $0.deallocate() } }
        let forward = medianSeconds(repeats: repeats) {
            ConvolutionKernels.convTranspose1dForward(g, input: x, weight: w, bias: bias, output: y)
        }
        let backwardInput = medianSeconds(repeats: repeats) {
            ConvolutionKernels.convTranspose1dBackwardInput(g, outputGradient: y, weight: w, inputGradient: dx)
        }
        let backwardWeight = medianSeconds(repeats: repeats) {
            ConvolutionKernels.convTranspose1dBackwardWeight(g, input: x, outputGradient: y, weightGradient: dw, biasGradient: db)
        }
        return [
            Timing(name: "\(name) forward", seconds: forward, referenceName: nil, referenceSeconds: nil),
            Timing(name: "\(name) backward input", seconds: backwardInput, referenceName: nil, referenceSeconds: nil),
            Timing(name: "\(name) backward weight+bias", seconds: backwardWeight, referenceName: nil, referenceSeconds: nil),
        ]
    }

    /// rfft and irfft of `[batchCount, n]`, each timed alternately with a raw FFTW many-plan
    /// (FFTW_MEASURE) over the same aligned buffers, made with `Parallel.threadCount` threads and
    /// with one thread.
    static func fft(n: Int, batchCount: Int, repeats: Int) -> [Timing] {
        let binCount = n / 2 + 1
        let signal = FFTScratch(floatCount: batchCount * n), spectrum = FFTScratch(floatCount: batchCount * binCount * 2)
        let output = FFTScratch(floatCount: batchCount * n), staged = FFTScratch(floatCount: batchCount * binCount * 2)
        defer { [signal, spectrum, output, staged].forEach { $0.free() } }
        let source = randomBuffer(batchCount * n, seed: 11)
        signal.floats.update(from: source, count: batchCount * n)
        source.deallocate()
        let label = "\(batchCount)×2^\(n.trailingZeroBitCount)"
        var timings: [Timing] = []
        for threadCount in Set([Parallel.threadCount, 1]).sorted(by: >) {
            let raw = RawFFTWPlans(n: n, batchCount: batchCount, threadCount: threadCount)
            defer { raw.destroy() }
            let forward = interleavedMedianSeconds(repeats: repeats) {
                FFTKernels.rfft(signal.floats, batchCount: batchCount, n: n, output: spectrum.floats)
            } reference: {
                fftwf_execute_dft_r2c(raw.forward, signal.floats, spectrum.complex)
            }
            let inverse = interleavedMedianSeconds(repeats: repeats) {
                FFTKernels.irfft(spectrum.floats, batchCount: batchCount, n: n, output: output.floats)
            } reference: {
                // c2r destroys its input; the copy is part of a fair comparison with `irfft`.
                staged.floats.update(from: spectrum.floats, count: batchCount * binCount * 2)
                fftwf_execute_dft_c2r(raw.inverse, staged.complex, output.floats)
                let scale = 1 / Float(n)
                for index in 0..<(batchCount * n) { output.floats[index] *= scale }
            }
            timings += [
                Timing(name: "rfft \(label) vs FFTW \(threadCount)t", seconds: forward.harp,
                       referenceName: "fftwf many r2c, \(threadCount) thread(s)", referenceSeconds: forward.reference),
                Timing(name: "irfft \(label) vs FFTW \(threadCount)t", seconds: inverse.harp,
                       referenceName: "fftwf many c2r + copy + 1/n, \(threadCount) thread(s)", referenceSeconds: inverse.reference),
            ]
        }
        return timings
    }
}

/// A raw FFTW many-plan pair over `[batchCount, n]`, for reference timings.
struct RawFFTWPlans {
    let forward: OpaquePointer
    let inverse: OpaquePointer

    init(n: Int, batchCount: Int, threadCount: Int) {
        let binCount = n / 2 + 1
        var length = Int32(n)
        (forward, inverse) = FFTPlanCache.shared.withPlannerLock {
            // MEASURE scribbles on its arrays, so plan on scratch copies. The thread setting is
            // planner-global: restore one thread so the kernels' own plans stay single-threaded.
            fftwf_init_threads()
            fftwf_plan_with_nthreads(Int32(threadCount))
            defer { fftwf_plan_with_nthreads(1) }
            let planInput = FFTScratch(floatCount: batchCount * n), planOutput = FFTScratch(floatCount: batchCount * binCount * 2)
            defer { planInput.free(); planOutput.free() }
            let forward = fftwf_plan_many_dft_r2c(1, &length, Int32(batchCount), planInput.floats, nil, 1, Int32(n),
                                                  planOutput.complex, nil, 1, Int32(binCount), 0)
            let inverse = fftwf_plan_many_dft_c2r(1, &length, Int32(batchCount), planOutput.complex, nil, 1, Int32(binCount),
                                                  planInput.floats, nil, 1, Int32(n), 0)
            return (forward!, inverse!)
        }
    }

    func destroy() {
        FFTPlanCache.shared.withPlannerLock {
            fftwf_destroy_plan(forward)
            fftwf_destroy_plan(inverse)
        }
    }
}
