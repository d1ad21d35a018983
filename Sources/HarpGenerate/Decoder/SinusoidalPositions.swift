import Foundation
import HarpTensor

/// MusicGen's sinusoidal position embeddings, `cat([cos(p·ωᵢ), sin(p·ωᵢ)])` (**cos first**) with
/// `ωᵢ = exp(−i·ln(10000)/(half − 1))`, computed in Float32 as the reference does.
///
/// ref: huggingface/transformers `models/musicgen/modeling_musicgen.py`
/// `MusicgenSinusoidalPositionalEmbedding.get_embedding`.
enum SinusoidalPositions {
    /// `[count, dimension]` for positions `start ..< start + count`.
    static func table(start: Int, count: Int, dimension: Int) -> Tensor {
        let half = dimension / 2
        let step = Float(-(Foundation.log(10000.0) / Double(max(half - 1, 1))))
        let frequencies = (0..<half).map { Foundation.exp(Float($0) * step) }
        return Tensor(shape: [count, dimension]) { values in
            for row in 0..<count {
                let position = Float(start + row)
                let base = row * dimension
                for i in 0..<half {
                    let angle = position * frequencies[i]
                    values[base + i] = Foundation.cos(angle)
                    values[base + half + i] = Foundation.sin(angle)
                }
                if dimension % 2 == 1 { values[base + dimension - 1] = 0 }
            }
        }
    }
}
