import Foundation
import HarpTensor

/// Batches of random crops for a training run, the next one assembled on a background thread
/// while the current step runs.
///
/// Batch `step` of process `rank` out of `processCount` holds crops
/// `(step·processCount + rank)·batchSize ..< … + batchSize` of the `CropSampler`'s sequence, so
/// `processCount` processes with batch `b` together see exactly the crops one process with batch
/// `processCount·b` sees. The only state is the step: that is the data cursor a checkpoint keeps.
public final class BatchSource: @unchecked Sendable {
    public let sampler: CropSampler
    public let store: ClipStore
    public let batchSize: Int
    public let rank: Int
    public let processCount: Int
    public let channelCount: Int

    private let queue = DispatchQueue(label: "harp.batches")
    private var pending: (step: Int, work: DispatchWorkItem, result: ResultBox)?

    public init(clips: [CachedClip], cropSampleCount: Int, batchSize: Int, seed: UInt64,
                rank: Int = 0, processCount: Int = 1) {
        precondition(batchSize > 0 && processCount > 0 && (0..<processCount).contains(rank))
        sampler = CropSampler(clips: clips, cropSampleCount: cropSampleCount, seed: seed)
        store = ClipStore(clips: clips)
        self.batchSize = batchSize
        self.rank = rank
        self.processCount = processCount
        channelCount = clips[0].channelCount
    }

    /// Batch `step`, `[batchSize, channels, cropSampleCount]`; starts assembling `step + 1`.
    public func batch(at step: Int) throws -> Tensor {
        let values: [Float]
        if let pending, pending.step == step {
            pending.work.wait()
            values = try pending.result.get()
        } else {
            values = try assemble(step)
        }
        prefetch(step + 1)
        let crop = sampler.cropSampleCount
        return Tensor(shape: [batchSize, channelCount, crop], values: values)
    }

    /// The samples of batch `step` (computed on the calling thread).
    func assemble(_ step: Int) throws -> [Float] {
        let crop = sampler.cropSampleCount
        var values = [Float]()
        values.reserveCapacity(batchSize * channelCount * crop)
        let first = (step * processCount + rank) * batchSize
        for item in 0..<batchSize {
            let (clip, start) = sampler.crop(at: first + item)
            values += try store.samples(ofClip: clip, from: start, length: crop)
        }
        return values
    }

    private func prefetch(_ step: Int) {
        let box = ResultBox()
        let work = DispatchWorkItem { [self] in box.set(Result { try assemble(step) }) }
        pending = (step, work, box)
        queue.async(execute: work)
    }
}

/// A result handed from the prefetch thread to the training thread.
private final class ResultBox: @unchecked Sendable {
    private var result: Result<[Float], Error> = .success([])
    private let lock = NSLock()
    func set(_ value: Result<[Float], Error>) { lock.lock(); result = value; lock.unlock() }
    func get() throws -> [Float] { lock.lock(); defer { lock.unlock() }; return try result.get() }
}
