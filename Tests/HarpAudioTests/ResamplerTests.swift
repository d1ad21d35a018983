import Foundation
import HarpAudio
import Testing

@Suite struct ResamplerTests {
    /// Harp against `scipy.signal.resample_poly` given a filter with Harp's specification (flat to
    /// 0.9, stopband from 1.0 × the lower Nyquist, 100 dB) but designed by scipy (kaiserord + firwin),
    /// on tones below 0.6 × the lower Nyquist frequency. The designs differ only in length rounding
    /// and normalisation: measured max difference 1.1e-6 (48k→16k) and 5.8e-5 (44.1k→48k) of full
    /// scale, so the tolerance is 1e-4 (−80 dBFS), edges included.
    @Test(arguments: [(48000, 16000), (44100, 48000)])
    func matchesResamplePolyFixture(inputSampleRate: Int, outputSampleRate: Int) throws {
        let stem = "resample_\(inputSampleRate)_to_\(outputSampleRate)"
        let input = try AudioFileReader.readAll(path: TestFiles.fixture(stem + "_input.wav"))
        let expected = try AudioFileReader.readAll(path: TestFiles.fixture(stem + "_resample_poly.wav"))
        let output = try Resampler.resample(input, to: outputSampleRate)
        #expect(output.frameCount == expected.frameCount)
        #expect(output.sampleRate == outputSampleRate)
        #expect(TestSignals.maxAbsDifference(output.samples, expected.samples) < 1e-4)
    }

    @Test func sineStaysASineAtTheSameFrequency() throws {
        let input = AudioBuffer(interleaved: TestSignals.sine(frequencyHz: 1000, sampleRate: 44100, frameCount: 44100),
                                channelCount: 1, sampleRate: 44100)
        let output = try Resampler.resample(input, to: 48000)
        #expect(output.frameCount == 48000)
        let ideal = TestSignals.sine(frequencyHz: 1000, sampleRate: 48000, frameCount: 48000)
        // Away from the edges (where the input starts from silence) the output is the ideal sine.
        let middle = 2000..<46000
        #expect(TestSignals.maxAbsDifference(Array(output.samples[middle]), Array(ideal[middle])) < 1e-4)
    }

    /// A 10 kHz tone is above the 8 kHz Nyquist frequency of 16 kHz output: it must vanish (≥ 90 dB down).
    @Test func outOfBandToneIsRejected() throws {
        let input = AudioBuffer(interleaved: TestSignals.sine(frequencyHz: 10_000, sampleRate: 48000, frameCount: 48000),
                                channelCount: 1, sampleRate: 48000)
        let output = try Resampler.resample(input, to: 16000)
        let middle = output.samples[1000..<15000]
        let rms = (middle.reduce(0.0) { $0 + Double($1 * $1) } / Double(middle.count)).squareRoot()
        let rejectionDecibels = 20 * log10((0.5 / 2.0.squareRoot()) / max(rms, 1e-12))
        #expect(rejectionDecibels >= 90, "rejection \(rejectionDecibels) dB")
    }

    @Test func streamingEqualsOneShot() throws {
        let input = AudioBuffer(interleaved: TestSignals.noise(count: 2 * 9000), channelCount: 2, sampleRate: 44100)
        let oneShot = try Resampler.resample(input, to: 16000)
        let resampler = try Resampler(inputSampleRate: 44100, outputSampleRate: 16000, channelCount: 2)
        var streamed = AudioBuffer.empty(channelCount: 2, sampleRate: 16000)
        var start = 0
        for size in [1, 7, 300, 4096, 5000] where start < 9000 {
            let end = min(9000, start + size)
            streamed.append(resampler.process(
                AudioBuffer(interleaved: Array(input.samples[2 * start ..< 2 * end]), channelCount: 2, sampleRate: 44100)))
            start = end
        }
        streamed.append(resampler.flush())
        #expect(streamed == oneShot)
        #expect(oneShot.frameCount == (9000 * 160 + 440) / 441)
    }

    @Test func identityRatioPassesSignalThrough() throws {
        let samples = TestSignals.sine(frequencyHz: 300, sampleRate: 8000, frameCount: 800)
        let output = try Resampler.resample(AudioBuffer(interleaved: samples, channelCount: 1, sampleRate: 8000), to: 8000)
        #expect(output.samples == samples)
    }

    @Test(arguments: [0, -1, 768_001])
    func absurdRatesAreRejected(sampleRate: Int) {
        #expect(throws: AudioError.self) {
            _ = try Resampler(inputSampleRate: 44100, outputSampleRate: sampleRate, channelCount: 1)
        }
    }
}
