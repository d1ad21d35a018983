import HarpAudio
import Testing
@testable import HarpDenoise

@Suite struct AudioDenoiserTests {
    @Test func stereoAt48kEqualsTheModelRealignedAndKeepsTheLength() throws {
        let fixture = try DenoiseFixture("speech_pink_0db")
        let mono = fixture.noisy
        let reversed = Array(mono.reversed())
        let denoiser = try AudioDenoiser(weights: DenoiseFixture.weights, sampleRate: 48000, channelCount: 2,
                                         attenuationLimitDecibels: nil, postFilterBeta: 0)
        var output = AudioBuffer.empty(channelCount: 2, sampleRate: 48000)
        var start = 0
        while start < mono.count {
            let end = min(start + 10_007, mono.count)
            output.append(try denoiser.process(AudioBuffer(planar: [Array(mono[start..<end]), Array(reversed[start..<end])],
                                                           sampleRate: 48000)))
            start = end
        }
        output.append(denoiser.finish())
        #expect(output.frameCount == mono.count)
        // Each channel is its own model's output without the 1440-sample delay.
        for (index, input) in [mono, reversed].enumerated() {
            let model = try DeepFilterNet3(weights: DenoiseFixture.weights)
            let expected = model.process(input + [Float](repeating: 0, count: 1440)).samples
            let delay = model.configuration.delaySamples
            #expect(differenceDecibels(output.channel(index), Array(expected[delay..<(delay + mono.count)])) < -100)
        }
        #expect(denoiser.inputSNRDecibels != nil && denoiser.outputSNRDecibels != nil)
    }
}
