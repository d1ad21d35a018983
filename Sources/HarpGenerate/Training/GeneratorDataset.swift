import Foundation
import HarpTensor

/// The token cache in memory (codes are small: 18 h of audio at 4 codebooks × 75 frames/s is
/// 20 M tokens) with each file's caption embedding, and the batches drawn from it: a pure function
/// of the seed and the step, so a resumed run sees the same batches.
public final class GeneratorDataset {
    public struct Batch {
        public var forcing: TeacherForcing
        /// Caption embeddings `[batch, 1, width]`.
        public var text: Tensor
        /// `[batch, 1]`: 0 where the caption was dropped.
        public var mask: IntTensor
        public var captions: [String]
    }

    public let entries: [TokenCache.Entry]
    let codes: [IntTensor]
    /// `[entries, width]`, row i for entry i.
    public let embeddings: Tensor
    private let music: [Int], speech: [Int]

    public init(cache: TokenCache, embeddings: Tensor) throws {
        precondition(embeddings.shape[0] == cache.entries.count, "one embedding per entry")
        let entries = cache.entries
        self.entries = entries
        codes = try entries.map { try cache.codes(of: $0) }
        self.embeddings = embeddings
        music = entries.indices.filter { entries[$0].category != "speech" }
        speech = entries.indices.filter { entries[$0].category == "speech" }
    }

    public var frameCount: Int { entries.reduce(0) { $0 + $1.frameCount } }
    public func frameCount(category: String) -> Int {
        entries.filter { ($0.category == "speech") == (category == "speech") }.reduce(0) { $0 + $1.frameCount }
    }

    /// Batch `step`: items from music with probability `musicFraction` (else speech), the file in
    /// proportion to its length, a random crop of `cropFrames`, the caption dropped with
    /// probability `conditionDropout`.
    public func batch(at step: Int, configuration c: GeneratorTrainingConfiguration) -> Batch {
        let width = embeddings.shape[1]
        var frames: [[[Int32]]] = []
        var text: [Float] = []
        var mask: [Int32] = []
        var captions: [String] = []
        let pad = Int32(c.model.vocabSize)
        for item in 0..<c.batchSize {
            func draw(_ j: Int) -> Float {
                RandomGenerator.unitFloat(seed: c.seed &+ 17, counter: UInt64((step * c.batchSize + item) * 4 + j))
            }
            let pool = (draw(0) < Float(c.musicFraction) && !music.isEmpty) || speech.isEmpty ? music : speech
            let index = chooseByLength(pool, draw(1))
            let clip = codes[index]
            let available = clip.shape[1]
            let start = available > c.cropFrames ? min(available - c.cropFrames, Int(draw(2) * Float(available - c.cropFrames + 1))) : 0
            let length = min(c.cropFrames, available - start)
            frames.append((0..<c.model.codebookCount).map { k in (0..<length).map { clip[k, start + $0] } })
            let dropped = draw(3) < Float(c.conditionDropout)
            mask.append(dropped ? 0 : 1)
            text += embeddings.sliced(alongAxis: 0, start: index, end: index + 1).scalars
            captions.append(dropped ? "" : entries[index].caption)
        }
        return Batch(forcing: TeacherForcing(frames: frames, frameCount: c.cropFrames, codebookCount: c.model.codebookCount,
                                             padTokenID: pad, startTokenID: pad),
                     text: Tensor(shape: [c.batchSize, 1, width], values: text),
                     mask: IntTensor(shape: [c.batchSize, 1], scalars: mask), captions: captions)
    }

    private func chooseByLength(_ pool: [Int], _ uniform: Float) -> Int {
        let total = pool.reduce(0) { $0 + entries[$1].frameCount }
        var target = Int(uniform * Float(total))
        for index in pool {
            target -= entries[index].frameCount
            if target < 0 { return index }
        }
        return pool[pool.count - 1]
    }
}
