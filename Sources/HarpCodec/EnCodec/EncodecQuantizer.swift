import HarpTensor

/// EnCodec's residual vector quantiser: each codebook picks the nearest codeword (squared L2) to
/// what the previous ones left, and decoding sums the chosen codewords (no projections).
///
/// ref: huggingface/transformers `models/encodec/modeling_encodec.py`
/// (`EncodecEuclideanCodebook.quantize`, `EncodecResidualVectorQuantizer`).
struct EncodecQuantizer {
    /// `[codebookSize, dimension]` per codebook.
    let codebooks: [Tensor]
    /// `|e|²` of every codeword, `[1, codebookSize]` per codebook.
    let squaredNorms: [Tensor]

    init(codebooks: [Tensor]) {
        self.codebooks = codebooks
        squaredNorms = withoutGradients {
            codebooks.map { $0.square().sum(alongAxis: 1).reshaped([1, $0.shape[0]]) }
        }
    }

    var codebookSize: Int { codebooks[0].shape[0] }
    var dimension: Int { codebooks[0].shape[1] }

    /// Codes `[count, frames]` for embeddings `[dimension, frames]` with the first `count` codebooks.
    ///
    /// Per codebook: `argmax −(|x|² − 2x·e + |e|²)`, then the chosen codeword is subtracted.
    func encode(_ embeddings: Tensor, count: Int) -> IntTensor {
        var residual = embeddings.transposed()   // [frames, dimension]
        let frames = residual.shape[0]
        var codes: [Int32] = []
        codes.reserveCapacity(count * frames)
        for q in 0..<count {
            let scaled = residual.square().sum(alongAxis: 1, keepDims: true)
            let distance = -(scaled - 2 * matmul(residual, codebooks[q].transposed()) + squaredNorms[q])
            let indices = distance.argmax(alongAxis: 1).scalars.map { Int($0) }
            residual = residual - codebooks[q].gathered(indices: indices, alongAxis: 0)
            codes += indices.map { Int32($0) }
        }
        return IntTensor(shape: [count, frames], scalars: codes)
    }

    /// The sum of the codewords `codes [count, frames]` picks: `[dimension, frames]`.
    func decode(_ codes: IntTensor) -> Tensor {
        let (count, frames) = (codes.shape[0], codes.shape[1])
        var sum = Tensor.zeros([frames, dimension])
        for q in 0..<count {
            let indices = codes.scalars[(q * frames)..<((q + 1) * frames)].map { Int($0) }
            sum = sum + codebooks[q].gathered(indices: indices, alongAxis: 0)
        }
        return sum.transposed()
    }
}
