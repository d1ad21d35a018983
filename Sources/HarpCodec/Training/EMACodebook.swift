import HarpNN
import HarpTensor

/// A codebook learned by exponential moving averages of the vectors assigned to each entry, not
/// by gradients (EnCodec's `EuclideanCodebook`, VQ-VAE-2's EMA update):
///
///     nₖ ← γ·nₖ + (1 − γ)·|{i : code(i) = k}|        mₖ ← γ·mₖ + (1 − γ)·Σ_{code(i)=k} xᵢ
///     eₖ = mₖ / ñₖ,  ñₖ = (nₖ + ε) / (Σn + K·ε) · Σn   (Laplace smoothing)
///
/// Entries whose count `nₖ` falls below `deadCodeThreshold` are restarted at vectors drawn from
/// the current batch, so no part of the codebook stays unused. The first batch initialises every
/// entry from its vectors (`inited` turns 1).
///
/// State dict (the reference names, so the inference loader reads `embed`): `inited [1]`,
/// `cluster_size [K]`, `embed [K, D]`, `embed_avg [K, D]`, all buffers.
/// ref: facebookresearch/encodec `encodec/quantization/core_vq.py` (`EuclideanCodebook`); van den
/// Oord et al. 2017 / Razavi et al. 2019 (arXiv:1906.00446) appendix on EMA updates.
public final class EMACodebook: Module {
    @Buffer var inited: Tensor
    @Buffer(key: "cluster_size") var clusterSize: Tensor
    @Buffer var embed: Tensor
    @Buffer(key: "embed_avg") var embedSum: Tensor

    public let decay: Float
    public let epsilon: Float
    public let deadCodeThreshold: Float

    public init(codebookSize: Int, dimension: Int, decay: Float = 0.99, epsilon: Float = 1e-5,
                deadCodeThreshold: Float = 2, generator: inout RandomGenerator) {
        let initial = Tensor.normal([codebookSize, dimension], generator: &generator)
        _inited = Buffer(wrappedValue: Tensor(shape: [1], repeating: 0))
        _clusterSize = Buffer(wrappedValue: Tensor(shape: [codebookSize], repeating: 0), key: "cluster_size")
        _embed = Buffer(wrappedValue: initial)
        _embedSum = Buffer(wrappedValue: Tensor(shape: initial.shape, values: initial.scalars), key: "embed_avg")
        self.decay = decay
        self.epsilon = epsilon
        self.deadCodeThreshold = deadCodeThreshold
        super.init()
    }

    public var codebookSize: Int { embed.shape[0] }
    public var dimension: Int { embed.shape[1] }

    /// The nearest entry (squared Euclidean distance) of each row of `vectors [N, D]`.
    public func nearest(_ vectors: Tensor) -> [Int] {
        withoutGradients {
            // argmax of −(|x|² − 2x·e + |e|²) = argmax of 2x·e − |e|² (|x|² is the same for every entry).
            let scores = matmul(vectors, embed.transposed()) * 2 - embed.square().sum(alongAxis: 1).reshaped([1, codebookSize])
            return scores.argmax(alongAxis: 1).scalars.map { Int($0) }
        }
    }

    /// The entries for `codes` as `[N, D]`.
    public func vectors(for codes: [Int]) -> Tensor {
        embed.gathered(indices: codes, alongAxis: 0)
    }

    /// One EMA step from `vectors [N, D]` assigned to `codes` (nothing is differentiated).
    /// `generator` draws the batch vectors that restart dead entries and initialise the codebook.
    public func update(with vectors: Tensor, codes: [Int], generator: inout RandomGenerator) {
        withoutGradients {
            let x = vectors.detached()
            initialiseIfNeeded(from: x, generator: &generator)
            let assignment = Self.oneHot(codes, classes: codebookSize)                        // [N, K]
            let counts = assignment.sum(alongAxis: 0)                                         // [K]
            let sums = matmul(assignment.transposed(), x)                                     // [K, D]
            clusterSize.assign(clusterSize * decay + counts * (1 - decay))
            embedSum.assign(embedSum * decay + sums * (1 - decay))
            let total = clusterSize.sum()
            let smoothed = (clusterSize + epsilon) / (total + Float(codebookSize) * epsilon) * total
            embed.assign(embedSum / smoothed.reshaped([codebookSize, 1]))
            restartDeadCodes(from: x, generator: &generator)
        }
    }

    /// On the first batch only: every entry set to a vector of `vectors [N, D]` (drawn with
    /// replacement when the batch is smaller), before any code is assigned.
    public func initialiseIfNeeded(from vectors: Tensor, generator: inout RandomGenerator) {
        guard inited.item == 0 else { return }
        withoutGradients { initialise(from: vectors.detached(), generator: &generator) }
    }

    private func initialise(from x: Tensor, generator: inout RandomGenerator) {
        let picked = x.gathered(indices: Self.draw(codebookSize, from: x.shape[0], generator: &generator), alongAxis: 0)
        embed.assign(picked)
        embedSum.assign(picked)
        clusterSize.assign(Tensor(shape: [codebookSize], repeating: 1))
        inited.assign(Tensor(shape: [1], repeating: 1))
    }

    /// Entries used less than the threshold (in EMA counts) take batch vectors instead.
    private func restartDeadCodes(from x: Tensor, generator: inout RandomGenerator) {
        guard deadCodeThreshold > 0 else { return }
        let counts = clusterSize.scalars
        let dead = counts.indices.filter { counts[$0] < deadCodeThreshold }
        guard !dead.isEmpty else { return }
        let replacements = x.gathered(indices: Self.draw(dead.count, from: x.shape[0], generator: &generator),
                                      alongAxis: 0).scalars
        var table = embed.scalars, sums = embedSum.scalars, sizes = counts
        let d = dimension
        for (slot, entry) in dead.enumerated() {
            for j in 0..<d { table[entry * d + j] = replacements[slot * d + j]; sums[entry * d + j] = replacements[slot * d + j] }
            sizes[entry] = deadCodeThreshold
        }
        embed.assign(Tensor(shape: embed.shape, values: table))
        embedSum.assign(Tensor(shape: embedSum.shape, values: sums))
        clusterSize.assign(Tensor(shape: clusterSize.shape, values: sizes))
    }

    /// `count` indices in `0..<population` from the generator.
    static func draw(_ count: Int, from population: Int, generator: inout RandomGenerator) -> [Int] {
        let uniform = Tensor.uniform([count], generator: &generator).scalars
        return uniform.map { min(population - 1, Int($0 * Float(population))) }
    }

    /// `[N, classes]` with a 1 at each row's class.
    static func oneHot(_ codes: [Int], classes: Int) -> Tensor {
        var values = [Float](repeating: 0, count: codes.count * classes)
        for (row, code) in codes.enumerated() { values[row * classes + code] = 1 }
        return Tensor(shape: [codes.count, classes], values: values)
    }
}
