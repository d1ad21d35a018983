import HarpTensor

/// MusicGen's delay pattern: codebook `k` runs `k` steps behind codebook 0, so one decoder step
/// predicts frame `t` of codebook 0, frame `t−1` of codebook 1, and so on.
///
/// Over a sequence of `length` positions (position 0 is the start token), codebook `k` holds the
/// pad token at positions `t ≤ k` and `t ≥ length − codebooks + 1 + k`; every other position is
/// generated. Frames come out as `sequence[k][k + 1 + f]` for `f < length − codebooks`.
///
/// ref: huggingface/transformers `models/musicgen/modeling_musicgen.py`
/// `MusicgenForCausalLM.build_delay_pattern_mask` (mono).
public struct DelayPattern: Sendable, Equatable {
    public let codebookCount: Int
    /// Positions in the sequence, the start token included (`max_length`).
    public let length: Int
    public let padTokenID: Int32

    public init(codebookCount: Int, length: Int, padTokenID: Int32) {
        precondition(length >= 2 * codebookCount - 1, "delay pattern: \(length) positions for \(codebookCount) codebooks")
        self.codebookCount = codebookCount
        self.length = length
        self.padTokenID = padTokenID
    }

    /// The fixed token at (`codebook`, `position`), or `nil` where the model's prediction stays.
    public func fixedToken(codebook k: Int, position t: Int) -> Int32? {
        t <= k || t >= length - codebookCount + 1 + k ? padTokenID : nil
    }

    /// The audio frames the sequence yields (`length − codebooks`).
    public var frameCount: Int { length - codebookCount }

    /// `[rows · codebooks, length]` as `transformers` builds it for `rows` sequences: the pad
    /// token where the pattern fixes one, −1 elsewhere.
    public func mask(rows: Int) -> IntTensor {
        var mask = IntTensor(repeating: -1, shape: [rows * codebookCount, length])
        for row in 0..<rows * codebookCount {
            for t in 0..<length {
                if let token = fixedToken(codebook: row % codebookCount, position: t) { mask[row, t] = token }
            }
        }
        return mask
    }

    /// The frames of `sequences [batch, codebooks, length]`: `[batch, codebooks, frameCount]`.
    public func frames(of sequences: IntTensor) -> IntTensor {
        let batch = sequences.shape[0]
        var codes = IntTensor(repeating: 0, shape: [batch, codebookCount, frameCount])
        for b in 0..<batch {
            for k in 0..<codebookCount {
                for f in 0..<frameCount { codes[b, k, f] = sequences[b, k, k + 1 + f] }
            }
        }
        return codes
    }
}
