import Foundation
import HarpAudio
import HarpTensor
import Testing
@testable import HarpTrain

/// A folder of small audio files written for one test, removed afterwards.
final class CorpusFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("harp-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    var cache: URL { url.appendingPathComponent(".cache") }

    /// Writes a sine of `frequency` Hz as a 16-bit WAV (or FLAC by extension).
    @discardableResult
    func sine(_ name: String, seconds: Double, rate: Int, channels: Int = 1, frequency: Double = 440) throws -> String {
        let path = url.appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let frames = Int(seconds * Double(rate))
        var samples = [Float]()
        for i in 0..<frames {
            let value = Float(0.5 * sin(2 * Double.pi * frequency * Double(i) / Double(rate)))
            for _ in 0..<channels { samples.append(value) }
        }
        let format = try AudioFormat.forWriting(path: path, encoding: .pcm16)
        let writer = try AudioFileWriter(path: path, format: format, sampleRate: rate, channelCount: channels)
        try writer.write(AudioBuffer(interleaved: samples, channelCount: channels, sampleRate: rate))
        try writer.commit()
        return path
    }

    func text(_ name: String, _ contents: String) throws {
        try Data(contents.utf8).write(to: url.appendingPathComponent(name))
    }
}

/// Corpora over folders: every readable file converted once, unreadable ones skipped and listed,
/// a split that is stable, and clear errors when there is nothing to train on.
struct AudioCorpusTests {
    let configuration = AudioCorpusConfiguration(sampleRate: 16000, channelCount: 1, heldOutFraction: 0.2)

    @Test func convertsReadableFilesAndListsTheRest() throws {
        let folder = try CorpusFolder()
        try folder.sine("a/tone.wav", seconds: 1.0, rate: 16000)
        try folder.sine("b/stereo.flac", seconds: 0.5, rate: 44100, channels: 2)
        try folder.sine("c.wav", seconds: 0.25, rate: 48000)
        try folder.text("broken.wav", "this is not audio")
        try folder.text("LICENSE.txt", "not looked at")
        let corpus = try AudioCorpus.build(paths: [folder.url.path], configuration: configuration,
                                           cacheFolder: folder.cache)
        let clips = corpus.training + corpus.heldOut
        #expect(clips.count == 3)
        #expect(corpus.skipped.map { ($0.path as NSString).lastPathComponent } == ["broken.wav"])
        #expect(!corpus.training.isEmpty && !corpus.heldOut.isEmpty)
        let byName = Dictionary(uniqueKeysWithValues: clips.map { ($0.relativePath, $0) })
        // ceil(N·L/M) frames after resampling to 16 kHz.
        #expect(byName["a/tone.wav"]?.sampleCount == 16000)
        #expect(byName["b/stereo.flac"]?.sampleCount == 8000)
        #expect(byName["c.wav"]?.sampleCount == 4000)
    }

    @Test func aSecondBuildReusesTheCache() throws {
        let folder = try CorpusFolder()
        try folder.sine("x.wav", seconds: 0.5, rate: 22050)
        try folder.sine("y.wav", seconds: 0.5, rate: 22050, frequency: 220)
        let first = try AudioCorpus.build(paths: [folder.url.path], configuration: configuration, cacheFolder: folder.cache)
        let cacheFile = first.training[0].cachePath
        let stamp = try FileManager.default.attributesOfItem(atPath: cacheFile)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 0.05)
        let second = try AudioCorpus.build(paths: [folder.url.path], configuration: configuration, cacheFolder: folder.cache)
        #expect(second.training == first.training && second.heldOut == first.heldOut)
        #expect(try FileManager.default.attributesOfItem(atPath: cacheFile)[.modificationDate] as? Date == stamp)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.cache.path).count == 2)
    }

    @Test func cachedSamplesAreTheSourceSamples() throws {
        let folder = try CorpusFolder()
        let path = try folder.sine("same-rate.wav", seconds: 0.2, rate: 16000)
        try folder.sine("other.wav", seconds: 0.2, rate: 16000)
        let corpus = try AudioCorpus.build(paths: [folder.url.path], configuration: configuration, cacheFolder: folder.cache)
        let clips = corpus.training + corpus.heldOut
        let index = try #require(clips.firstIndex { $0.sourcePath.hasSuffix("same-rate.wav") })
        let store = ClipStore(clips: clips)
        let read = try store.samples(ofClip: index, from: 100, length: 200)
        let source = try AudioFileReader.readAll(path: path).samples
        for i in 0..<200 { #expect(Swift.abs(read[i] - source[100 + i]) <= 1 / 32768) }
        // Past the end reads as silence.
        let tail = try store.samples(ofClip: index, from: 3150, length: 100)
        #expect(tail[49] != 0 && tail[50...].allSatisfy { $0 == 0 })
    }

    @Test func theSplitDependsOnlyOnEachFilesPath() {
        let names = (0..<200).map { "music/track-\($0).ogg" }
        let clips = names.map { CachedClip(sourcePath: "/a/" + $0, relativePath: $0, cachePath: "", sampleCount: 1, channelCount: 1) }
        let (_, heldOut) = HeldOutSplit.split(clips, fraction: 0.1)
        #expect((10...30).contains(heldOut.count))
        // Removing files never moves another file between the splits.
        let (_, heldOutOfHalf) = HeldOutSplit.split(Array(clips.prefix(100)), fraction: 0.1)
        #expect(Set(heldOutOfHalf.map(\.relativePath)) == Set(heldOut.map(\.relativePath)).filter { name in
            clips.prefix(100).contains { $0.relativePath == name }
        })
    }

    @Test func foldersWithNothingToTrainOnAreNamed() throws {
        let empty = try CorpusFolder()
        try empty.text("notes.txt", "no audio here")
        #expect(throws: AudioCorpusError.noAudio(folders: [empty.url.path], skipped: 0)) {
            try AudioCorpus.build(paths: [empty.url.path], configuration: configuration, cacheFolder: empty.cache)
        }
        let broken = try CorpusFolder()
        try broken.text("a.wav", "nope")
        try broken.text("b.flac", "nope")
        #expect(throws: AudioCorpusError.noAudio(folders: [broken.url.path], skipped: 2)) {
            try AudioCorpus.build(paths: [broken.url.path], configuration: configuration, cacheFolder: broken.cache)
        }
        let single = try CorpusFolder()
        try single.sine("only.wav", seconds: 0.1, rate: 16000)
        #expect(throws: AudioCorpusError.tooFewFiles(count: 1)) {
            try AudioCorpus.build(paths: [single.url.path], configuration: configuration, cacheFolder: single.cache)
        }
        #expect(throws: AudioCorpusError.missing("/nonexistent/folder")) {
            try AudioCorpus.build(paths: ["/nonexistent/folder"], configuration: configuration, cacheFolder: single.cache)
        }
    }
}
