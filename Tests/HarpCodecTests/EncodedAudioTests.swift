import Testing
import HarpTensor
@testable import HarpCodec

/// The codes value every codec returns: its axes read as chunks, codebooks and frames.
struct EncodedAudioTests {
    @Test func axesReadAsChunksCodebooksFrames() {
        let codes = IntTensor(repeating: 0, shape: [2, 4, 10])
        let encoded = EncodedAudio(codes: codes, scales: [0.5, 0.25], sampleCount: 3200, bandwidth: 1.5)
        #expect(encoded.chunkCount == 2)
        #expect(encoded.codebookCount == 4)
        #expect(encoded.frameCount == 10)
    }
}
