import Foundation
import HarpAudio

/// A training corpus: every audio file under some folders, converted once to one rate and channel
/// count into a cache, split by file into training and held-out clips.
///
/// Files libsndfile cannot read are skipped and listed (`skipped`), never fatal; a corpus with no
/// readable audio, or too few files to split, is an error. Conversion runs on every core, file by
/// file; a cache file is written under a temporary name and renamed, so an interrupted build
/// leaves only whole files and the next build continues where it stopped.
public final class AudioCorpus: Sendable {
    /// A file that was passed over, and why.
    public struct SkippedFile: Sendable, Equatable {
        public let path: String
        public let reason: String
    }

    public let configuration: AudioCorpusConfiguration
    /// Clips to train on, in a stable order (by relative path).
    public let training: [CachedClip]
    /// Clips held out for evaluation, in a stable order.
    public let heldOut: [CachedClip]
    /// Audio files that could not be read.
    public let skipped: [SkippedFile]

    init(configuration: AudioCorpusConfiguration, training: [CachedClip], heldOut: [CachedClip],
         skipped: [SkippedFile]) {
        self.configuration = configuration
        self.training = training
        self.heldOut = heldOut
        self.skipped = skipped
    }

    /// Extensions looked at when scanning a folder; other files (licences, text) are ignored.
    public static let audioExtensions: Set<String> = [
        "wav", "flac", "ogg", "oga", "opus", "mp3", "aif", "aiff", "aifc", "au", "snd", "caf", "w64", "rf64",
    ]

    /// Scans `paths` (folders, searched recursively, or single files), converts what is not yet in
    /// `cacheFolder`, and splits the result.
    /// - Parameters:
    ///   - progress: called after each file with (files done, files in all, the file's path).
    ///   - isCancelled: polled between files; when it turns true the build throws `CancellationError`.
    public static func build(
        paths: [String], configuration: AudioCorpusConfiguration, cacheFolder: URL,
        progress: (@Sendable (Int, Int, String) -> Void)? = nil,
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) throws -> AudioCorpus {
        let sources = try AudioFileScan.sources(in: paths, extensions: audioExtensions)
        guard !sources.isEmpty else { throw AudioCorpusError.noAudio(folders: paths, skipped: 0) }
        do {
            try FileManager.default.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
        } catch {
            throw AudioCorpusError.cache("\(cacheFolder.path): \((error as NSError).localizedDescription)")
        }
        let converter = ClipConverter(configuration: configuration, cacheFolder: cacheFolder)
        let outcomes = try converter.convert(sources, progress: progress, isCancelled: isCancelled)
        var clips: [CachedClip] = []
        var skipped: [SkippedFile] = []
        for outcome in outcomes {
            switch outcome {
            case let .converted(clip): clips.append(clip)
            case let .skipped(path, reason): skipped.append(SkippedFile(path: path, reason: reason))
            }
        }
        guard !clips.isEmpty else { throw AudioCorpusError.noAudio(folders: paths, skipped: skipped.count) }
        guard clips.count >= 2 else { throw AudioCorpusError.tooFewFiles(count: clips.count) }
        let (training, heldOut) = HeldOutSplit.split(clips, fraction: configuration.heldOutFraction)
        return AudioCorpus(configuration: configuration, training: training, heldOut: heldOut, skipped: skipped)
    }

    /// Seconds of training audio.
    public var trainingSeconds: Double {
        training.reduce(0) { $0 + $1.durationSeconds(sampleRate: configuration.sampleRate) }
    }

    /// Seconds of held-out audio.
    public var heldOutSeconds: Double {
        heldOut.reduce(0) { $0 + $1.durationSeconds(sampleRate: configuration.sampleRate) }
    }
}
