import HarpTensor

/// |z| of complex values stored as a trailing axis of size 2: `[..., 2]` → `[...]`.
///
/// The gradient is ḡ·z/|z|, and 0 where z = 0 (PyTorch's `abs` of a complex tensor), where the
/// composite √(re² + im²) would give NaN.
public func complexMagnitude(_ z: Tensor) -> Tensor {
    precondition(z.rank >= 1 && z.shape[z.rank - 1] == 2, "complexMagnitude needs [..., 2], got \(z.shape)")
    let outputShape = Array(z.shape.dropLast())
    let values = z.count / 2
    let result = Tensor(shape: outputShape) { out in
        z.withUnsafeBufferPointer { c in
            Parallel.forEachChunk(count: values, minimumChunk: 1 << 15) { range in
                for i in range { out[i] = (c[2 * i] * c[2 * i] + c[2 * i + 1] * c[2 * i + 1]).squareRoot() }
            }
        }
    }
    return Tensor.recording("complexMagnitude", result: result, inputs: [z]) { gradient in
        [Tensor(shape: z.shape) { out in
            z.withUnsafeBufferPointer { c in
                gradient.withUnsafeBufferPointer { g in
                    result.withUnsafeBufferPointer { magnitude in
                        Parallel.forEachChunk(count: values, minimumChunk: 1 << 15) { range in
                            for i in range {
                                let m = magnitude[i]
                                let scale = m > 0 ? g[i] / m : 0
                                out[2 * i] = scale * c[2 * i]
                                out[2 * i + 1] = scale * c[2 * i + 1]
                            }
                        }
                    }
                }
            }
        }]
    }
}
