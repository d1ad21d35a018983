import Foundation
import HarpAudio
import HarpTensor

/// Converts source files into cache files: decoded in chunks, mixed, resampled, stored as
/// interleaved little-endian Int16, written under a temporary name and renamed.
struct ClipConverter: Sendable {
    enum Outcome: Sendable {
        case converted(CachedClip)
        case skipped(path: String, reason: String)
    }

    /// Bumped when the cache's layout changes, so old cache files are never misread.
    static let cacheVersion = 1

    let configuration: AudioCorpusConfiguration
    let cacheFolder: URL

    /// Converts every source (on all cores), in input order.
    func convert(_ sources: [AudioFileScan.Source], progress: (@Sendable (Int, Int, String) -> Void)?,
                 isCancelled: @escaping @Sendable () -> Bool) throws -> [Outcome] {
        let results = OutcomeSlots(count: sources.count)
        DispatchQueue.concurrentPerform(iterations: sources.count) { index in
            guard !isCancelled() else { return }
            let outcome = convert(sources[index])
            let done = results.store(outcome, at: index)
            progress?(done, sources.count, sources[index].path)
        }
        if isCancelled() { throw CancellationError() }
        return results.outcomes
    }

    /// The cache file for `source`, converting it unless a whole one is already there.
    func convert(_ source: AudioFileScan.Source) -> Outcome {
        let cachePath = cacheFolder.appendingPathComponent(cacheName(for: source.path)).path
        let frameBytes = 2 * configuration.channelCount
        if let size = (try? FileManager.default.attributesOfItem(atPath: cachePath))?[.size] as? Int, size > 0 {
            return .converted(clip(source, cachePath: cachePath, sampleCount: size / frameBytes))
        }
        do {
            let sampleCount = try decode(source.path, into: cachePath)
            guard sampleCount > 0 else {
                try? FileManager.default.removeItem(atPath: cachePath)
                return .skipped(path: source.path, reason: "no samples")
            }
            return .converted(clip(source, cachePath: cachePath, sampleCount: sampleCount))
        } catch let error as AudioError {
            return .skipped(path: source.path, reason: error.reason)
        } catch {
            return .skipped(path: source.path, reason: "\(error)")
        }
    }

    private func clip(_ source: AudioFileScan.Source, cachePath: String, sampleCount: Int) -> CachedClip {
        CachedClip(sourcePath: source.path, relativePath: source.relativePath, cachePath: cachePath,
                   sampleCount: sampleCount, channelCount: configuration.channelCount)
    }

    /// Decodes, converts and writes `path`; returns the frames written.
    private func decode(_ path: String, into cachePath: String) throws -> Int {
        let reader = try AudioFileReader(path: path)
        let mixing = ChannelMixing.converting(from: reader.channelCount, to: configuration.channelCount)
        let resampler = try Resampler(inputSampleRate: reader.sampleRate, outputSampleRate: configuration.sampleRate,
                                      channelCount: configuration.channelCount)
        let temporary = cachePath + ".tmp-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw AudioCorpusError.cache("cannot create \(temporary)")
        }
        var frames = 0
        do {
            while let chunk = try reader.read(maxFrameCount: 1 << 16) {
                guard chunk.samples.allSatisfy(\.isFinite) else {
                    throw AudioError.invalidArgument("holds NaN or infinite samples")
                }
                frames += try write(resampler.process(mixing.applied(to: chunk)), to: handle)
            }
            frames += try write(resampler.flush(), to: handle)
            try handle.synchronize()
            try handle.close()
            try moveIntoPlace(temporary, cachePath)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        return frames
    }

    /// Renames the finished temporary file to `cachePath`. Another process filling the same cache
    /// (ranks of a data-parallel run) may have put the same clip there first: that one is kept.
    private func moveIntoPlace(_ temporary: String, _ cachePath: String) throws {
        do {
            try FileManager.default.moveItem(atPath: temporary, toPath: cachePath)
        } catch where FileManager.default.fileExists(atPath: cachePath) {
            try? FileManager.default.removeItem(atPath: temporary)
        }
    }

    private func write(_ buffer: AudioBuffer, to handle: FileHandle) throws -> Int {
        guard buffer.frameCount > 0 else { return 0 }
        var pcm = [Int16](repeating: 0, count: buffer.samples.count)
        for (i, sample) in buffer.samples.enumerated() {
            pcm[i] = Int16(max(-32768, min(32767, (sample * 32768).rounded()))).littleEndian
        }
        try pcm.withUnsafeBytes { try handle.write(contentsOf: Data($0)) }
        return buffer.frameCount
    }

    /// The cache file's name: a fingerprint of the source (path, size, modification time) and of
    /// what it is converted to.
    func cacheName(for path: String) -> String {
        let attributes = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
        let size = (attributes[.size] as? Int) ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let key = "\(Self.cacheVersion)|\(path)|\(size)|\(modified)|\(configuration.sampleRate)|\(configuration.channelCount)"
        return String(format: "%016llx.pcm16", FNV1a.hash(Array(key.utf8)))
    }
}

/// Outcomes filled in by concurrent workers, each at its own index.
private final class OutcomeSlots: @unchecked Sendable {
    private var slots: [ClipConverter.Outcome?]
    private var done = 0
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// Stores an outcome; returns how many are stored now.
    func store(_ outcome: ClipConverter.Outcome, at index: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = outcome
        done += 1
        return done
    }

    var outcomes: [ClipConverter.Outcome] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
