import Foundation
import HarpAudio
import Testing
@testable import HarpInstrument

/// The segment a fit reads: exactly the model's length, or, for a shorter clip, the clip's own
/// length in whole frames.
struct TargetClipTests {
    /// The small configuration of the server tests: 8192 samples, control step 32, deformation
    /// frames of 128 ⇒ lengths are multiples of 128, at least 256 samples.
    static var configuration: InstrumentConfiguration {
        var c = InstrumentConfiguration()
        c.sampleCount = 8192
        c.resonanceWindowSize = 64
        c.controlPlaneDimension = 4
        c.resonanceCount = 4
        c.oscillatorCount = 4
        c.attackFrameCount = 16
        c.attackSampleCount = 256
        c.lossWindowSize = 256
        c.lossHopSize = 64
        return c
    }

    /// A decaying 440 Hz tone of `count` samples at 22 050 Hz, written as 32-bit float WAV (so the
    /// values read back exactly).
    static func writeTone(count: Int) throws -> (path: String, samples: [Float]) {
        let samples = (0..<count).map { i -> Float in
            let t = Double(i) / 22_050
            return Float(0.6 * exp(-3 * t) * sin(2 * Double.pi * 440 * t))
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("harp-clip-\(UUID().uuidString).wav").path
        let writer = try AudioFileWriter(path: path, format: AudioFormat(container: .wav, encoding: .float32),
                                         sampleRate: 22_050, channelCount: 1)
        try writer.write(AudioBuffer(interleaved: samples, channelCount: 1, sampleRate: 22_050))
        try writer.commit()
        return (path, samples)
    }

    @Test func configurationKnowsItsLengthQuantumAndMinimum() {
        let c = Self.configuration
        #expect(c.lengthQuantum == 128)
        #expect(c.minimumSampleCount == 256)
        var odd = c
        odd.resonanceWindowSize = 96   // control step 48, deformation frames 128 ⇒ lcm 384
        #expect(odd.lengthQuantum == 384)
        #expect(odd.minimumSampleCount == 384)
        #expect(InstrumentConfiguration().minimumSampleCount == 2048)
    }

    @Test func aShorterClipIsCutToWholeFramesWhenFollowed() throws {
        let (path, samples) = try Self.writeTone(count: 5000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clip = try TargetClip(path: path, offsetSeconds: 0, configuration: Self.configuration, followingShorterClip: true)
        #expect(clip.samples.count == 4992)   // 39 frames of 128
        let peak = samples.prefix(4992).map(Swift.abs).max()!
        #expect(clip.originalPeak == peak)
        #expect(clip.samples.scalars == samples.prefix(4992).map { $0 / (peak + 1e-8) })
    }

    @Test func theOffsetCountsAgainstTheClipsLength() throws {
        let (path, samples) = try Self.writeTone(count: 5000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        // 1000 samples in: 4000 remain ⇒ 31 frames of 128 = 3968.
        let clip = try TargetClip(path: path, offsetSeconds: 1000.0 / 22_050, configuration: Self.configuration,
                                  followingShorterClip: true)
        #expect(clip.samples.count == 3968)
        #expect(clip.originalPeak == samples[1000..<4968].map(Swift.abs).max()!)
    }

    @Test func aLongEnoughClipGivesTheModelsLengthEitherWay() throws {
        let (path, _) = try Self.writeTone(count: 9000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for follow in [false, true] {
            let clip = try TargetClip(path: path, offsetSeconds: 0, configuration: Self.configuration, followingShorterClip: follow)
            #expect(clip.samples.count == 8192)
        }
    }

    @Test func aShorterClipIsRefusedWhenNotFollowedOrShorterThanTheMinimum() throws {
        let (path, _) = try Self.writeTone(count: 5000)
        let (tiny, _) = try Self.writeTone(count: 200)
        defer { for p in [path, tiny] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(throws: InstrumentError.clipTooShort(seconds: 5000.0 / 22_050, needed: 8192.0 / 22_050)) {
            try TargetClip(path: path, offsetSeconds: 0, configuration: Self.configuration)
        }
        #expect(throws: InstrumentError.clipTooShort(seconds: 200.0 / 22_050, needed: 256.0 / 22_050)) {
            try TargetClip(path: tiny, offsetSeconds: 0, configuration: Self.configuration, followingShorterClip: true)
        }
    }
}
