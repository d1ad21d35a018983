import Foundation
import HarpTensor

/// Picks one token per row of logits: the first maximum (greedy), or a draw from the distribution
/// left after temperature, top-k and top-p.
///
/// ref: huggingface/transformers `generation/logits_process.py` (`TemperatureLogitsWarper`,
/// `TopKLogitsWarper`, `TopPLogitsWarper`) — the same filters; the draw uses Harp's seeded
/// generator, so it is reproducible here but not PyTorch's stream.
struct TokenSampler {
    let options: SamplingOptions?
    private var generator: RandomGenerator

    init(options: SamplingOptions?) {
        self.options = options
        generator = RandomGenerator(seed: options?.seed ?? 0)
    }

    /// One token per row of `logits [rows, vocab]`.
    mutating func tokens(from logits: Tensor) -> [Int32] {
        let (rows, vocab) = (logits.shape[0], logits.shape[1])
        let values = logits.scalars
        guard let options else {
            return (0..<rows).map { Int32(Self.firstMaximum(values[($0 * vocab)..<(($0 + 1) * vocab)])) }
        }
        let draws = Tensor.uniform([rows], generator: &generator).scalars
        return (0..<rows).map { row in
            let probabilities = Self.filtered(Array(values[(row * vocab)..<((row + 1) * vocab)]), options)
            return Int32(Self.draw(probabilities, uniform: draws[row]))
        }
    }

    static func firstMaximum(_ row: ArraySlice<Float>) -> Int {
        var best = row.startIndex
        for i in row.indices where row[i] > row[best] { best = i }
        return best - row.startIndex
    }

    /// The probabilities after temperature, top-k and top-p (zeros for removed tokens).
    static func filtered(_ logits: [Float], _ options: SamplingOptions) -> [Float] {
        var x = options.temperature == 1 ? logits : logits.map { $0 / options.temperature }
        if options.topK > 0 && options.topK < x.count {
            let threshold = x.sorted(by: >)[options.topK - 1]
            x = x.map { $0 < threshold ? -.infinity : $0 }
        }
        var p = softmax(x)
        if options.topP < 1 {
            // Remove tokens whose cumulative probability, summed from the least likely up, stays
            // within 1 − topP; the most likely token always stays.
            let ascending = p.indices.sorted { p[$0] < p[$1] || (p[$0] == p[$1] && $0 < $1) }
            var cumulative: Float = 0
            for (rank, index) in ascending.enumerated() where rank < ascending.count - 1 {
                cumulative += p[index]
                if cumulative <= 1 - options.topP { x[index] = -.infinity }
            }
            p = softmax(x)
        }
        return p
    }

    static func softmax(_ x: [Float]) -> [Float] {
        let m = x.max() ?? 0
        let e = x.map { $0 == -.infinity ? 0 : Foundation.exp($0 - m) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    /// The index where the cumulative probability first exceeds `uniform` (in [0, 1)).
    static func draw(_ probabilities: [Float], uniform: Float) -> Int {
        var cumulative: Float = 0
        var last = 0
        for (index, p) in probabilities.enumerated() where p > 0 {
            cumulative += p
            last = index
            if uniform < cumulative { return index }
        }
        return last
    }
}
