import Foundation
import HarpTensor

/// The consistency parameterisation (the reference's `get_c`), which makes the model the identity
/// at σ = σ_min:
///
///     c_skip = σ_d² / ((σ − σ_min)² + σ_d²),  c_out = σ_d·(σ − σ_min) / √(σ_d² + σ²),  c_in = 1 / √(σ² + σ_d²)
struct ConsistencyCoefficients {
    let skip: Float
    let output: Float
    let input: Float

    init(sigma: Float, configuration: LatentConfiguration) {
        let (s, d, low) = (Double(sigma), Double(configuration.sigmaData), Double(configuration.sigmaMin))
        skip = Float(d * d / ((s - low) * (s - low) + d * d))
        output = Float(d * (s - low) / (d * d + s * s).squareRoot())
        input = Float(1 / (s * s + d * d).squareRoot())
    }
}

/// The noise levels of a multi-step decode (the reference's `get_sigma(i, k)`, Karras' ρ-schedule):
/// step `k` of `n` runs at `σ(n + 1 − k)` and re-noises to `σ(n − k)`, `σ(i) = (σ_min^(1/ρ) +
/// (i − 1)/n · (σ_max^(1/ρ) − σ_min^(1/ρ)))^ρ`. One step runs at σ_max.
enum NoiseSchedule {
    static func sigma(index: Int, stepCount: Int, configuration c: LatentConfiguration) -> Float {
        let rho = Double(c.rho)
        let low = pow(Double(c.sigmaMin), 1 / rho), high = pow(Double(c.sigmaMax), 1 / rho)
        return Float(pow(low + Double(index - 1) / Double(stepCount) * (high - low), rho))
    }

    /// The noise level at continuous time `t ∈ [0, 1]` (the reference's `get_sigma_continuous`,
    /// iCT's parameterisation): `σ(t) = (σ_min^(1/ρ) + t·(σ_max^(1/ρ) − σ_min^(1/ρ)))^ρ`, so
    /// `σ(0) = σ_min` and `σ(1) = σ_max`. Float32 arithmetic on a float32 `t`, as torch computes it.
    static func sigma(continuous t: Float, configuration c: LatentConfiguration) -> Float {
        let rho = Double(c.rho)
        let low = pow(Double(c.sigmaMin), 1 / rho), high = pow(Double(c.sigmaMax), 1 / rho)
        return Foundation.pow(Float(low) + t * Float(high - low), Float(rho))
    }
}

/// The noise-level embedding (the reference's `PositionalEmbedding`, no weights): for
/// `x = log(σ)/4` and `i < width/2`, `f_i = (1/10000)^(i/(width/2 − 1))`, the vector
/// `[sin(x·f_0) …, cos(x·f_0) …]` — **sine first**.
enum NoiseEmbedding {
    static func embed(logSigma: Float, width: Int) -> Tensor {
        embed(logSigmas: [logSigma], width: width)
    }

    /// One row `[sin …, cos …]` per value: `[values.count, width]`.
    static func embed(logSigmas: [Float], width: Int) -> Tensor {
        let half = width / 2
        var values = [Float](repeating: 0, count: logSigmas.count * width)
        for i in 0..<half {
            // float32 as the reference computes it
            let exponent = Float(i) / Float(half - 1)
            let frequency = Float(pow(Double(Float(1) / 10000), Double(exponent)))
            for (row, logSigma) in logSigmas.enumerated() {
                let angle = logSigma * frequency
                values[row * width + i] = Foundation.sin(angle)
                values[row * width + half + i] = Foundation.cos(angle)
            }
        }
        return Tensor(shape: [logSigmas.count, width], values: values)
    }
}
