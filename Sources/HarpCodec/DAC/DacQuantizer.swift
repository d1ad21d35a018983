import HarpTensor

/// DAC's residual vector quantiser with factorised, L2-normalised codes: each stage projects the
/// residual to `codebook_dim` (`in_proj`), picks the codeword of highest cosine similarity
/// (both sides L2-normalised), and adds `out_proj` of the **un-normalised** codeword to the
/// quantised sum; the residual is taken in the latent space.
///
/// ref: huggingface/transformers `models/dac/modeling_dac.py` (`DacVectorQuantize`,
/// `DacResidualVectorQuantizer.forward`, `from_codes`).
struct DacQuantizer {
    struct Stage {
        let inProjection: DacConvolution
        let outProjection: DacConvolution
        /// `[codebookSize, codebookDim]`.
        let codebook: Tensor
        /// The rows L2-normalised, and their squared norms `[1, codebookSize]`.
        let normalizedCodebook: Tensor
        let normalizedSquaredNorms: Tensor

        init(inProjection: DacConvolution, outProjection: DacConvolution, codebook: Tensor) {
            self.inProjection = inProjection
            self.outProjection = outProjection
            self.codebook = codebook
            let normalized = withoutGradients { DacQuantizer.l2Normalized(rows: codebook) }
            normalizedCodebook = normalized
            normalizedSquaredNorms = withoutGradients {
                normalized.square().sum(alongAxis: 1).reshaped([1, codebook.shape[0]])
            }
        }

        /// The codes `[frames]` for projected latents `[frames, codebookDim]`:
        /// `argmax −(|ê|² − 2ê·ĉ) + |ĉ|²`, as the reference writes it.
        func nearest(_ projected: Tensor) -> [Int] {
            let encodings = DacQuantizer.l2Normalized(rows: projected)
            let squared = encodings.square().sum(alongAxis: 1, keepDims: true)
            let distance = -(squared - 2 * matmul(encodings, normalizedCodebook.transposed())) + normalizedSquaredNorms
            return distance.argmax(alongAxis: 1).scalars.map { Int($0) }
        }

        /// `out_proj` of the codewords `indices`: `[1, hidden, frames]`.
        func projectedCodewords(_ indices: [Int]) -> Tensor {
            let codewords = codebook.gathered(indices: indices, alongAxis: 0).transposed()   // [codebookDim, frames]
            return outProjection(codewords.reshaped([1] + codewords.shape))
        }
    }

    let stages: [Stage]

    /// Codes `[count, frames]`, the quantised latents `[1, hidden, frames]` and the projected
    /// latents `[1, count·codebookDim, frames]` for latents `[1, hidden, frames]`.
    func encode(_ latents: Tensor, count: Int) -> (codes: IntTensor, quantized: Tensor, projected: Tensor) {
        var residual = latents
        var quantized = Tensor.zeros(latents.shape)
        var codes: [Int32] = [], projections: [Tensor] = []
        for stage in stages.prefix(count) {
            let projected = stage.inProjection(residual)                       // [1, codebookDim, frames]
            let indices = stage.nearest(projected.reshaped(Array(projected.shape.dropFirst())).transposed())
            let stageOutput = stage.projectedCodewords(indices)
            quantized = quantized + stageOutput
            residual = residual - stageOutput
            codes += indices.map { Int32($0) }
            projections.append(projected)
        }
        return (IntTensor(shape: [count, latents.shape[2]], scalars: codes), quantized,
                Tensor.concatenated(projections, alongAxis: 1))
    }

    /// The quantised latents `[1, hidden, frames]` for codes `[count, frames]`.
    func decode(_ codes: IntTensor) -> Tensor {
        let (count, frames) = (codes.shape[0], codes.shape[1])
        var sum: Tensor? = nil
        for q in 0..<count {
            let indices = codes.scalars[(q * frames)..<((q + 1) * frames)].map { Int($0) }
            let output = stages[q].projectedCodewords(indices)
            sum = sum.map { $0 + output } ?? output
        }
        return sum!
    }

    /// Each row divided by `max(‖row‖, 1e-12)` (`F.normalize(dim=1)`).
    static func l2Normalized(rows x: Tensor) -> Tensor {
        x / x.square().sum(alongAxis: 1, keepDims: true).sqrt().clamped(min: 1e-12)
    }
}
