import Foundation
import HarpTensor

/// Sine–cosine encodings of scalars, and the rotary position embedding built from them.
///
/// ref: alephic/asura `harp/modeling/util.py` (`sinusoid_encoding`, `apply_rope`). Each value `x`
/// becomes `[cos(π·x·f₀) … cos(π·x·f_{d/2−1}), sin(π·x·f₀) …]` with frequencies
/// `f_i = 2^(−linspace(0, log₂ maxRange, d/2)_i)`. The float32 arithmetic follows PyTorch's order
/// (its symmetric `linspace`, then `π·f`, then `x·(π·f)`) because `x` reaches 1000 and a different
/// rounding of the phase would show in the parity tests.
public enum SinusoidEncoding {
    /// `[values.count, width]`, no gradient.
    public static func encode(_ values: [Float], width: Int, maxRange: Float) -> Tensor {
        precondition(width % 2 == 0, "sinusoid encoding: odd width \(width)")
        let half = width / 2
        // Float(Double.pi), not Float.pi: Swift rounds Float.pi toward zero, PyTorch to nearest, and
        // at phases of ~3000 rad that last bit moves the encoding by 2·10⁻⁴.
        let scaled = frequencies(count: half, maxRange: maxRange).map { Float(Double.pi) * $0 }
        return Tensor(shape: [values.count, width]) { out in
            for (row, x) in values.enumerated() {
                for i in 0..<half {
                    let phase = x * scaled[i]
                    out[row * width + i] = Foundation.cos(phase)
                    out[row * width + half + i] = Foundation.sin(phase)
                }
            }
        }
    }

    /// `2^(−linspace(0, log₂ maxRange, count))` in float32.
    static func frequencies(count: Int, maxRange: Float) -> [Float] {
        linspace(from: 0, to: Float(Foundation.log2(Double(maxRange))), count: count).map { Foundation.exp2(-$0) }
    }

    /// PyTorch's CPU `linspace`: the first half counts up from `start`, the second down from `end`.
    static func linspace(from start: Float, to end: Float, count: Int) -> [Float] {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let step = (end - start) / Float(count - 1)
        let halfway = count / 2
        return (0..<count).map { i in i < halfway ? start + step * Float(i) : end - step * Float(count - 1 - i) }
    }

    /// Rotary position embedding of `x [batch, length, heads, width]` at positions `0..<length`:
    /// `x·cos + rotateHalf(x)·sin`, with the encoding of width `2·width` over `maxRange` positions.
    public static func applyRotary(_ x: Tensor, maxRange: Float) -> Tensor {
        let length = x.shape[1], width = x.shape[3]
        let encoding = encode((0..<length).map(Float.init), width: 2 * width, maxRange: maxRange)
        let parts = encoding.split(sizes: [width, width], alongAxis: 1)
        let cosine = parts[0].reshaped([1, length, 1, width]), sine = parts[1].reshaped([1, length, 1, width])
        let halves = x.split(sizes: [width / 2, width / 2], alongAxis: 3)
        let rotated = Tensor.concatenated([Tensor(scalar: 0) - halves[1], halves[0]], alongAxis: 3)
        return x * cosine + rotated * sine
    }
}
