import HarpTensor

/// Convolves a control-rate signal, placed on an impulse train, with a short kernel per channel:
///
///     output[c, t] = Σ_k control[c, k] · kernel[c, t − stride·k]     (0 ≤ t − stride·k < kernelLength)
///
/// truncated to `outputLength` samples. This is seed 001's `fft_convolve(impulse,
/// upsample_with_holes(control))` — placing control values every `stride` samples with zeros
/// between, then convolving with a zero-padded attack of `kernelLength` samples — computed
/// directly: frames × kernelLength multiply-adds per channel instead of three FFTs of twice the
/// output length. (It is also a depthwise transposed convolution with stride `stride`.)
///
/// - Parameters:
///   - control: `[channels, frames]`.
///   - kernel: `[channels, kernelLength]`.
/// - Returns: `[channels, outputLength]`. Differentiable with respect to both inputs.
public func impulseTrainConvolution(control: Tensor, kernel: Tensor, stride: Int, outputLength: Int) -> Tensor {
    precondition(control.rank == 2 && kernel.rank == 2 && control.shape[0] == kernel.shape[0],
                 "impulseTrainConvolution: control \(control.shape) and kernel \(kernel.shape) need [channels, n]")
    precondition(stride > 0 && outputLength >= 0, "impulseTrainConvolution: bad stride or length")
    let plan = ImpulseTrain(channelCount: control.shape[0], frameCount: control.shape[1],
                            kernelLength: kernel.shape[1], stride: stride, outputLength: outputLength)
    let result = Tensor(shape: [plan.channelCount, outputLength]) { out in
        control.withUnsafeBufferPointer { c in
            kernel.withUnsafeBufferPointer { k in plan.forward(control: c, kernel: k, output: out) }
        }
    }
    return Tensor.recording("impulseTrainConvolution", result: result, inputs: [control, kernel]) { gradient in
        let controlGradient = Tensor(shape: control.shape) { out in
            gradient.withUnsafeBufferPointer { g in
                kernel.withUnsafeBufferPointer { k in plan.controlGradient(gradient: g, kernel: k, output: out) }
            }
        }
        let kernelGradient = Tensor(shape: kernel.shape) { out in
            gradient.withUnsafeBufferPointer { g in
                control.withUnsafeBufferPointer { c in plan.kernelGradient(gradient: g, control: c, output: out) }
            }
        }
        return [controlGradient, kernelGradient]
    }
}

/// The sizes of one impulse-train convolution and its three loops.
struct ImpulseTrain {
    let channelCount: Int, frameCount: Int, kernelLength: Int, stride: Int, outputLength: Int

    /// The number of kernel samples of frame k that land inside the output.
    func overlap(frame k: Int) -> Int {
        Swift.max(0, Swift.min(kernelLength, outputLength - stride * k))
    }

    func forward(control: UnsafeBufferPointer<Float>, kernel: UnsafeBufferPointer<Float>,
                 output: UnsafeMutableBufferPointer<Float>) {
        Parallel.forEachChunk(count: channelCount, minimumChunk: 1) { channels in
            for c in channels {
                let out = output.baseAddress! + c * outputLength
                out.initialize(repeating: 0, count: outputLength)
                let taps = kernel.baseAddress! + c * kernelLength
                for k in 0..<frameCount {
                    let value = control[c * frameCount + k]
                    let n = overlap(frame: k)
                    if value == 0 || n == 0 { continue }   // most control values are zero after fitting
                    axpy(value, taps, out + stride * k, n)
                }
            }
        }
    }

    /// ∂/∂control[c, k] = Σ_j G[c, stride·k + j] · kernel[c, j]
    func controlGradient(gradient: UnsafeBufferPointer<Float>, kernel: UnsafeBufferPointer<Float>,
                         output: UnsafeMutableBufferPointer<Float>) {
        Parallel.forEachChunk(count: channelCount, minimumChunk: 1) { channels in
            for c in channels {
                let g = gradient.baseAddress! + c * outputLength
                let taps = kernel.baseAddress! + c * kernelLength
                for k in 0..<frameCount {
                    output[c * frameCount + k] = dot(g + stride * k, taps, overlap(frame: k))
                }
            }
        }
    }

    /// ∂/∂kernel[c, j] = Σ_k control[c, k] · G[c, stride·k + j]
    func kernelGradient(gradient: UnsafeBufferPointer<Float>, control: UnsafeBufferPointer<Float>,
                        output: UnsafeMutableBufferPointer<Float>) {
        Parallel.forEachChunk(count: channelCount, minimumChunk: 1) { channels in
            for c in channels {
                let out = output.baseAddress! + c * kernelLength
                out.initialize(repeating: 0, count: kernelLength)
                let g = gradient.baseAddress! + c * outputLength
                for k in 0..<frameCount {
                    let value = control[c * frameCount + k]
                    let n = overlap(frame: k)
                    if value == 0 || n == 0 { continue }
                    axpy(value, g + stride * k, out, n)
                }
            }
        }
    }
}

/// y[0..<n] += a · x[0..<n], eight lanes at a time.
@inline(__always)
func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    let scale = SIMD8<Float>(repeating: a)
    var i = 0
    while i + 8 <= n {
        let xs = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        var ys = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
        ys.addProduct(scale, xs)
        UnsafeMutableRawPointer(y + i).storeBytes(of: ys, as: SIMD8<Float>.self)
        i += 8
    }
    while i < n { y[i] += a * x[i]; i += 1 }
}

/// Σ x[i]·y[i] over n values, with four independent SIMD8 accumulators.
@inline(__always)
func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
    var sums = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var i = 0
    func load(_ p: UnsafePointer<Float>, _ at: Int) -> SIMD8<Float> {
        UnsafeRawPointer(p + at).loadUnaligned(as: SIMD8<Float>.self)
    }
    while i + 32 <= n {
        sums.0.addProduct(load(x, i), load(y, i))
        sums.1.addProduct(load(x, i + 8), load(y, i + 8))
        sums.2.addProduct(load(x, i + 16), load(y, i + 16))
        sums.3.addProduct(load(x, i + 24), load(y, i + 24))
        i += 32
    }
    while i + 8 <= n { sums.0.addProduct(load(x, i), load(y, i)); i += 8 }
    var total = ((sums.0 + sums.1) + (sums.2 + sums.3)).sum()
    while i < n { total += x[i] * y[i]; i += 1 }
    return total
}
