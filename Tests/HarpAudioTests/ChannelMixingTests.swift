import HarpAudio
import Testing

@Suite struct ChannelMixingTests {
    let stereo = AudioBuffer(planar: [[1, 0.5, -1], [0, 0.5, 1]], sampleRate: 8000)

    @Test func monoAveragesChannels() throws {
        let mono = ChannelMixing.mono.applied(to: stereo)
        #expect(mono.channelCount == 1)
        #expect(mono.samples == [0.5, 0.5, 0])
        #expect(try ChannelMixing.mono.outputChannelCount(inputChannelCount: 2) == 1)
    }

    @Test func monoOfMonoIsUnchanged() {
        let mono = AudioBuffer(interleaved: [0.1, 0.2], channelCount: 1, sampleRate: 8000)
        #expect(ChannelMixing.mono.applied(to: mono) == mono)
    }

    @Test func selectionReordersAndRejectsMissingChannels() throws {
        let swapped = ChannelMixing.select([1, 0]).applied(to: stereo)
        #expect(swapped.planar == [[0, 0.5, 1], [1, 0.5, -1]])
        #expect(ChannelMixing.select([1]).applied(to: stereo).samples == [0, 0.5, 1])
        #expect(throws: AudioError.self) { try ChannelMixing.select([2]).outputChannelCount(inputChannelCount: 2) }
    }

    @Test func planarAndInterleavedAgree() {
        #expect(stereo.samples == [1, 0, 0.5, 0.5, -1, 1])
        #expect(stereo.channel(1) == [0, 0.5, 1])
        #expect(stereo.frameCount == 3)
        #expect(stereo.durationSeconds == 3.0 / 8000)
    }
}
