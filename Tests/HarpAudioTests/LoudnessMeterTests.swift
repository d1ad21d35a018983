import Foundation
import HarpAudio
import Testing

@Suite struct LoudnessMeterTests {
    struct Reference: Decodable {
        struct Clip: Decodable {
            let integratedLoudness: Double
            let peakDecibels: Double
            let rmsDecibels: Double
            let frameCount: Int
        }
        let version: Int
        let clips: [String: Clip]
    }

    static let sharedAudioAvailable = FileManager.default.fileExists(atPath: TestFiles.sharedAudioFolder)

    /// Every clip in ../shared/audio agrees with pyloudnorm within 0.1 LU (and peak/RMS within 0.01 dB).
    @Test(.enabled(if: sharedAudioAvailable,
                   "skipped: ../shared/audio (relative to the repository root) is absent"))
    func integratedLoudnessMatchesPyloudnorm() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestFiles.fixture("loudness_pyloudnorm.json")))
        let reference = try JSONDecoder().decode(Reference.self, from: data)
        #expect(reference.version == 1)
        #expect(reference.clips.count >= 10)
        for (name, expected) in reference.clips.sorted(by: { $0.key < $1.key }) {
            let summary = try AudioFileSummary.measure(path: TestFiles.sharedAudioFolder + "/" + name)
            #expect(abs(summary.integratedLoudness - expected.integratedLoudness) < 0.1,
                    "\(name): \(summary.integratedLoudness) vs pyloudnorm \(expected.integratedLoudness)")
            #expect(abs(summary.peakDecibels - expected.peakDecibels) < 0.01, "\(name) peak")
            #expect(abs(summary.rmsDecibels - expected.rmsDecibels) < 0.01, "\(name) rms")
            #expect(summary.frameCount == expected.frameCount, "\(name) frames")
        }
    }

    /// BS.1770-4 Table 1 style check: a 997 Hz sine at -20 dBFS amplitude on one channel reads
    /// about -23 LUFS (the K-weighting gain at 1 kHz is +0.69 dB, offset by the -0.691 constant;
    /// a sine's mean square is half its peak squared, -3.01 dB).
    @Test func fullBandSineHasKnownLoudness() throws {
        let amplitude = Float(pow(10, -20.0 / 20))
        let buffer = AudioBuffer(interleaved: TestSignals.sine(frequencyHz: 997, sampleRate: 48000,
                                                               frameCount: 48000 * 5, amplitude: amplitude),
                                 channelCount: 1, sampleRate: 48000)
        let loudness = try LoudnessMeter.integratedLoudness(of: buffer)
        #expect(abs(loudness - -23.0) < 0.1, "got \(loudness)")
    }

    @Test func streamingEqualsOneShot() throws {
        let buffer = AudioBuffer(interleaved: TestSignals.noise(count: 2 * 44100 * 2, amplitude: 0.3),
                                 channelCount: 2, sampleRate: 44100)
        let oneShot = try LoudnessMeter.integratedLoudness(of: buffer)
        var meter = try LoudnessMeter(sampleRate: 44100, channelCount: 2)
        var start = 0
        for size in [1, 1000, 4409, 30000, 100_000] where start < buffer.frameCount {
            let end = min(buffer.frameCount, start + size)
            meter.process(AudioBuffer(interleaved: Array(buffer.samples[2 * start ..< 2 * end]),
                                      channelCount: 2, sampleRate: 44100))
            start = end
        }
        #expect(abs(meter.integratedLoudness - oneShot) < 1e-9)
    }

    @Test func silenceAndTooShortAudioAreMinusInfinity() throws {
        let silence = AudioBuffer(interleaved: [Float](repeating: 0, count: 48000), channelCount: 1, sampleRate: 48000)
        #expect(try LoudnessMeter.integratedLoudness(of: silence) == -.infinity)
        let short = AudioBuffer(interleaved: TestSignals.noise(count: 1000), channelCount: 1, sampleRate: 48000)
        #expect(try LoudnessMeter.integratedLoudness(of: short) == -.infinity)
    }

    @Test func statisticsMeasureSinePeakAndRMSAndCountNonFinite() {
        var statistics = AudioStatistics()
        statistics.accumulate(AudioBuffer(interleaved: TestSignals.sine(frequencyHz: 100, sampleRate: 8000,
                                                                        frameCount: 8000, amplitude: 1),
                                          channelCount: 1, sampleRate: 8000))
        #expect(abs(statistics.peakDecibels) < 0.01)
        #expect(abs(statistics.rmsDecibels - -3.0103) < 0.01)
        statistics.accumulate(AudioBuffer(interleaved: [0, .nan, .infinity], channelCount: 1, sampleRate: 8000))
        #expect(statistics.nonFiniteSampleCount == 2)
        #expect(statistics.firstNonFiniteFrame == 8001)
        #expect(abs(statistics.peakDecibels) < 0.01)
    }
}
