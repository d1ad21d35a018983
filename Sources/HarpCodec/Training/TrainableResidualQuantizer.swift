import HarpNN
import HarpTensor
import HarpTrain

/// One stage of residual vector quantisation; holds its codebook under the key `codebook`
/// (so the state dict reads `layers.{q}.codebook.embed`, the reference layout).
public final class QuantizerStage: Module {
    public let codebook: EMACodebook

    public init(codebook: EMACodebook) {
        self.codebook = codebook
        super.init()
    }
}

/// Residual vector quantisation that trains: each stage quantises what the previous ones left,
/// its codebook follows the vectors assigned to it (EMA), the encoder gets the decoder's
/// gradient through the straight-through estimator, and a commitment loss pulls the encoder's
/// output towards the codewords. Quantiser dropout — a different number of stages each step —
/// makes one model serve several bitrates.
///
/// ref: Zeghidour et al. 2021, SoundStream (arXiv:2107.03312) §3.2 and quantizer dropout;
/// facebookresearch/encodec `encodec/quantization/core_vq.py` (`ResidualVectorQuantization`,
/// straight-through `x + (q − x).detach()`, commitment `mse(q.detach(), x)` averaged over stages).
public final class TrainableResidualQuantizer: Module {
    public let layers: [QuantizerStage]
    /// In a data-parallel run, the processes whose vectors the codebooks learn from together:
    /// every process updates its codebooks from all processes' vectors (in rank order), so the
    /// codebooks stay identical everywhere and equal those of one process with the whole batch.
    public var processGroup: ProcessGroup?

    /// What a pass returns.
    public struct Output {
        /// Σ stages' quantised vectors, `[batch, dimension, frames]`, straight-through in training.
        public var quantized: Tensor
        /// `[batch, stages, frames]`.
        public var codes: IntTensor
        /// Mean over stages of `mean((q − residual)²)`, differentiable with respect to the input.
        public var commitmentLoss: Tensor
    }

    public init(stageCount: Int, codebookSize: Int, dimension: Int, decay: Float = 0.99,
                deadCodeThreshold: Float = 2, generator: inout RandomGenerator) {
        var stages: [QuantizerStage] = []
        for _ in 0..<stageCount {
            stages.append(QuantizerStage(codebook: EMACodebook(codebookSize: codebookSize, dimension: dimension, decay: decay,
                                                               deadCodeThreshold: deadCodeThreshold, generator: &generator)))
        }
        layers = stages
        super.init()
    }

    /// Quantises `input [batch, dimension, frames]` with the first `stageCount` stages.
    /// - Parameter updatesCodebooks: run the EMA updates (training); `generator` then draws the
    ///   vectors that initialise and restart codebook entries.
    public func callAsFunction(_ input: Tensor, stageCount: Int, updatesCodebooks: Bool,
                               generator: inout RandomGenerator) -> Output {
        precondition((1...layers.count).contains(stageCount), "quantizer: \(stageCount) of \(layers.count) stages")
        let (batch, dimension, frames) = (input.shape[0], input.shape[1], input.shape[2])
        var residual = input
        var quantized = Tensor.zeros(input.shape)
        var losses: [Tensor] = []
        var codes = [Int32](repeating: 0, count: batch * stageCount * frames)
        for (stage, layer) in layers.prefix(stageCount).enumerated() {
            let flat = residual.permuted([0, 2, 1]).reshaped([batch * frames, dimension])
            let (pool, local) = updatesCodebooks ? pooledRows(flat) : (flat, 0..<flat.shape[0])
            if updatesCodebooks { layer.codebook.initialiseIfNeeded(from: pool, generator: &generator) }
            let pooledIndices = layer.codebook.nearest(pool)
            let indices = Array(pooledIndices[local])
            let chosen = layer.codebook.vectors(for: indices)
                .reshaped([batch, frames, dimension]).permuted([0, 2, 1]).detached()
            if updatesCodebooks { layer.codebook.update(with: pool, codes: pooledIndices, generator: &generator) }
            losses.append((chosen - residual).square().mean())
            let straightThrough = residual + (chosen - residual).detached()
            quantized = quantized + straightThrough
            residual = residual - straightThrough
            for item in 0..<batch {
                for frame in 0..<frames {
                    codes[(item * stageCount + stage) * frames + frame] = Int32(indices[item * frames + frame])
                }
            }
        }
        let commitment = losses.dropFirst().reduce(losses[0], +) / Float(losses.count)
        return Output(quantized: quantized, codes: IntTensor(shape: [batch, stageCount, frames], scalars: codes),
                      commitmentLoss: commitment)
    }

    /// The vectors the codebooks learn from — this process's, or every process's in rank order —
    /// and where this process's rows lie among them.
    private func pooledRows(_ rows: Tensor) -> (pool: Tensor, local: Range<Int>) {
        guard let processGroup, processGroup.size > 1 else { return (rows, 0..<rows.shape[0]) }
        let count = rows.shape[0]
        let pool = withoutGradients { processGroup.gatherRows(rows.detached()) }
        return (pool, processGroup.rank * count ..< (processGroup.rank + 1) * count)
    }

    /// Σ of the code vectors of `codes [batch, stages, frames]`: `[batch, dimension, frames]`.
    public func decode(_ codes: IntTensor) -> Tensor {
        let (batch, stages, frames) = (codes.shape[0], codes.shape[1], codes.shape[2])
        var sum: Tensor?
        for stage in 0..<stages {
            var indices: [Int] = []
            for item in 0..<batch {
                for frame in 0..<frames { indices.append(Int(codes[item, stage, frame])) }
            }
            let vectors = layers[stage].codebook.vectors(for: indices)
                .reshaped([batch, frames, layers[stage].codebook.dimension]).permuted([0, 2, 1])
            sum = sum.map { $0 + vectors } ?? vectors
        }
        return sum!
    }
}
