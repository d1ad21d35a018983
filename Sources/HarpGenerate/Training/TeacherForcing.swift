import HarpTensor

/// Teacher-forcing inputs and targets for the generator, made from codec frames through the
/// delay pattern as generation builds its sequences (`DelayPattern`).
///
/// For `F` frames and `K` codebooks the sequence has `F + K` positions: position 0 is BOS,
/// codebook `k` holds frame `f` at position `k + 1 + f`, and the pattern's fixed positions are
/// pad. The decoder reads positions `0 ..< F + K − 1` and predicts `1 ..< F + K`; a target that
/// is pad (fixed by the pattern, or a frame past the end of a short clip) is not scored, as
/// `transformers` ignores labels equal to `pad_token_id`.
public struct TeacherForcing: Sendable, Equatable {
    /// `[batch, codebooks, F + K − 1]`.
    public var inputs: IntTensor
    /// `[batch, codebooks, F + K − 1]`, pad where not scored.
    public var targets: IntTensor
    public let padTokenID: Int32

    /// From `frames [batch][codebook][f]` (each row of one clip may be shorter than `frameCount`:
    /// the missing frames are pad).
    public init(frames: [[[Int32]]], frameCount: Int, codebookCount: Int, padTokenID: Int32, startTokenID: Int32) {
        let batch = frames.count
        let pattern = DelayPattern(codebookCount: codebookCount, length: frameCount + codebookCount, padTokenID: padTokenID)
        let steps = pattern.length - 1
        var inputs = IntTensor(repeating: padTokenID, shape: [batch, codebookCount, steps])
        var targets = IntTensor(repeating: padTokenID, shape: [batch, codebookCount, steps])
        for b in 0..<batch {
            for k in 0..<codebookCount {
                let row = frames[b][k]
                for t in 0..<pattern.length {
                    var token: Int32
                    if t == 0 {
                        token = startTokenID
                    } else if let fixed = pattern.fixedToken(codebook: k, position: t) {
                        token = fixed
                    } else {
                        let f = t - k - 1
                        token = f < row.count ? row[f] : padTokenID
                    }
                    if t < steps { inputs[b, k, t] = token }
                    if t > 0 { targets[b, k, t - 1] = token }
                }
            }
        }
        self.inputs = inputs
        self.targets = targets
        self.padTokenID = padTokenID
    }

    /// `transformers`' `MusicgenForCausalLM` loss: for each codebook the cross-entropy averaged
    /// over its scored positions, then the mean over codebooks. `logits [batch, codebooks, steps,
    /// vocab]`. A codebook with no scored position adds 0 (PyTorch would give NaN).
    public func loss(_ logits: Tensor) -> Tensor {
        let (batch, codebooks, steps, vocab) = (logits.shape[0], logits.shape[1], logits.shape[2], logits.shape[3])
        precondition([batch, codebooks, steps] == targets.shape, "loss: logits \(logits.shape), targets \(targets.shape)")
        var counts = [Int](repeating: 0, count: codebooks)
        for b in 0..<batch {
            for k in 0..<codebooks {
                for t in 0..<steps where targets[b, k, t] != padTokenID { counts[k] += 1 }
            }
        }
        var indices: [Int] = []
        var weights: [Float] = []
        for b in 0..<batch {
            for k in 0..<codebooks {
                for t in 0..<steps where targets[b, k, t] != padTokenID {
                    indices.append(((b * codebooks + k) * steps + t) * vocab + Int(targets[b, k, t]))
                    weights.append(-1 / Float(counts[k] * codebooks))
                }
            }
        }
        guard !indices.isEmpty else { return (logits * 0).sum() }
        let logProbabilities = logits.logSoftmax(alongAxis: 3).reshaped([-1]).gathered(indices: indices, alongAxis: 0)
        return (logProbabilities * Tensor(weights)).sum()
    }

    /// The number of scored targets.
    public var scoredCount: Int { targets.scalars.filter { $0 != padTokenID }.count }
}
