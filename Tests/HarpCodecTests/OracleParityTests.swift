import Foundation
import HarpTensor
import Testing
@testable import HarpCodec

/// Parity with the reference (`transformers`' `EncodecModel` and `DacModel`) on every oracle
/// folder: each stored intermediate, the codes where the decision is clear, the decoded audio,
/// and the low-bandwidth decode. Run on another seed with `HARP_CODEC_ORACLES=/path/to/seedN`.
struct OracleParityTests {
    @Test(arguments: OracleFolder.all())
    func intermediatesAndAudioMatchReference(_ folder: OracleFolder) throws {
        let codec = try folder.codec()
        let io = try folder.io()
        switch codec {
        case let model as EncodecModel where model.configuration.chunkLength == nil:
            try checkWholeFileEncodec(model, io)
        case let model as EncodecModel:
            try checkChunkedEncodec(model, io)
        case let model as DacModel:
            try checkDac(model, io)
        default:
            Issue.record("\(folder.testDescription): unexpected codec \(type(of: codec))")
        }
    }

    @Test(arguments: OracleFolder.all())
    func decodingReferenceCodesGivesReferenceAudio(_ folder: OracleFolder) throws {
        let codec = try folder.codec()
        let io = try folder.io()
        let input = try io.tensor(named: "input_values")
        let sampleCount = input.shape.last!
        var codes = try io.integers("audio_codes")            // EnCodec [chunks, 1, q, T]; DAC [1, q, T]
        if codes.rank == 4 { codes = codes.reshaped([codes.shape[0], codes.shape[2], codes.shape[3]]) }
        let scales = io.has("audio_scales") ? try io.tensor(named: "audio_scales").scalars : nil
        let encoded = EncodedAudio(codes: codes, scales: scales, sampleCount: sampleCount,
                                   bandwidth: codec.bandwidths.last!)
        let audio = try codec.decode(encoded)
        #expect(audio.shape == [codec.channelCount, sampleCount])
        let name = io.has("audio_values_from_codes") ? "audio_values_from_codes" : "audio_values"
        let fromCodes = try io.tensor(named: name)
        expectParity(audio, fromCodes.reshaped([codec.channelCount, fromCodes.shape.last!]).sliced(alongAxis: 1, end: sampleCount),
                     "\(folder.testDescription) decode(reference codes)")
    }

    @Test(arguments: OracleFolder.all())
    func encodeThenDecodeMatchesReferenceWhenCodesAgree(_ folder: OracleFolder) throws {
        let codec = try folder.codec()
        let io = try folder.io()
        let input = try io.tensor(named: "input_values")
        let audio = input.reshaped([codec.channelCount, input.shape.last!])
        var reference = try io.integers("audio_codes")
        if reference.rank == 4 { reference = reference.reshaped([reference.shape[0], reference.shape[2], reference.shape[3]]) }
        let encoded = try codec.encode(audio, bandwidth: nil)
        #expect(encoded.codes.shape == reference.shape)
        #expect(encoded.sampleCount == audio.shape[1])
        let margins = io.has("codes_margin") ? try io.tensor(named: "codes_margin") : nil
        for chunk in 0..<encoded.chunkCount {
            expectCodesMatch(CodecAudio.chunk(encoded.codes, chunk), CodecAudio.chunk(reference, chunk),
                             margins: margins.map { $0.reshaped(Array($0.shape.dropFirst())) },
                             "\(folder.testDescription) chunk \(chunk)")
        }
        if let scales = encoded.scales {
            expectParity(Tensor(scales), try io.tensor(named: "audio_scales").reshaped([-1]), "\(folder.testDescription) scales")
        }
        guard encoded.codes == reference else { return }   // a low-margin flip: the audio may legitimately differ
        let decoded = try codec.decode(encoded)
        let expected = try io.tensor(named: "audio_values")
        expectParity(decoded, expected.reshaped([codec.channelCount, expected.shape.last!]).sliced(alongAxis: 1, end: audio.shape[1]),
                     "\(folder.testDescription) decode(encode(x))")
    }

    // MARK: - Per model kind

    private func checkWholeFileEncodec(_ model: EncodecModel, _ io: SafeTensorsFile) throws {
        try withoutGradients {
            let input = try io.tensor(named: "input_values")
            expectParity(model.encoder.prefix(1, input), try io.tensor(named: "encoder_out_first_conv"), "encoder_out_first_conv")
            let embeddings = model.encoder(input)
            expectParity(embeddings, try io.tensor(named: "encoder_out"), "encoder_out")

            let reference = try io.integers("audio_codes")
            let codes = reference.reshaped([reference.shape[2], reference.shape[3]])
            let margins = try io.tensor(named: "codes_margin")
            let mine = model.quantizer.encode(try io.tensor(named: "encoder_out").reshaped(Array(embeddings.shape.dropFirst())),
                                              count: codes.shape[0])
            let compared = expectCodesMatch(mine, codes, margins: margins.reshaped(Array(margins.shape.dropFirst())), "codes")
            #expect(compared > codes.count / 2)

            let quantized = model.quantizer.decode(codes)
            expectParity(quantized.reshaped([1] + quantized.shape), try io.tensor(named: "quantized"), "quantized")
            expectParity(model.decoder.prefix(2, try io.tensor(named: "quantized")), try io.tensor(named: "decoder_in_lstm_out"),
                         "decoder_in_lstm_out")
            expectParity(model.decodeFrame(codes, scale: nil), try io.tensor(named: "audio_values"), "audio_values")

            let lowCount = Int(try io.tensor(named: "num_quantizers_low_bw").item)
            #expect(try model.codebookCount(bandwidth: model.bandwidths.first!).count == lowCount)
            let lowCodes = IntTensor(shape: [1, lowCount, codes.shape[1]],
                                     scalars: Array(codes.scalars.prefix(lowCount * codes.shape[1])))
            let lowAudio = try model.decode(EncodedAudio(codes: lowCodes, scales: nil, sampleCount: input.shape[2],
                                                         bandwidth: model.bandwidths.first!))
            expectParity(lowAudio.reshaped([1] + lowAudio.shape), try io.tensor(named: "audio_values_low_bw"), "audio_values_low_bw")
        }
    }

    private func checkChunkedEncodec(_ model: EncodecModel, _ io: SafeTensorsFile) throws {
        let input = try io.tensor(named: "input_values")
        let layout = try #require(model.chunkLayout(sampleCount: input.shape[2]))
        let padded = try io.tensor(named: "padded_input_values")
        #expect(layout.paddedLength == padded.shape[2])
        let referenceCodes = try io.integers("audio_codes")
        #expect(layout.offsets.count == referenceCodes.shape[0])
        #expect(layout.framesPerChunk - layout.lastChunkFrames == Int(try io.tensor(named: "last_frame_pad_length").item))
        // Decoding the reference codes, overlap-added and cropped to the input's length.
        let codes = referenceCodes.reshaped([referenceCodes.shape[0], referenceCodes.shape[2], referenceCodes.shape[3]])
        let encoded = EncodedAudio(codes: codes, scales: try io.tensor(named: "audio_scales").scalars,
                                   sampleCount: input.shape[2], bandwidth: model.bandwidths.last!)
        let audio = try model.decode(encoded)
        let reference = try io.tensor(named: "audio_values").sliced(alongAxis: 2, end: input.shape[2])
        expectParity(audio.reshaped([1] + audio.shape), reference, "audio_values")
        // Each chunk's encoder output and codes, from the reference's padded input.
        withoutGradients {
            for (index, offset) in layout.offsets.enumerated() {
                let chunk = padded.sliced(alongAxis: 2, start: offset, end: offset + layout.chunkLength)
                let (chunkCodes, scale) = model.encodeFrame(chunk, count: codes.shape[1])
                let expected = CodecAudio.prefixFrames(CodecAudio.chunk(codes, index), chunkCodes.shape[1])
                expectCodesMatch(chunkCodes, expected, margins: nil, "chunk \(index) codes")
                #expect(abs((scale ?? 0) - encoded.scales![index]) <= 1e-6 * max(1, encoded.scales![index]))
            }
        }
    }

    private func checkDac(_ model: DacModel, _ io: SafeTensorsFile) throws {
        try withoutGradients {
            let input = try io.tensor(named: "input_values")
            let padded = model.paddedInput(input.reshaped([1, input.shape[2]]))
            expectParity(padded, try io.tensor(named: "padded_input_values"), "padded_input_values")
            expectParity(model.encoder.conv1(padded), try io.tensor(named: "encoder_out_first_conv"), "encoder_out_first_conv")
            let reference = try io.integers("audio_codes")
            let codes = reference.reshaped([reference.shape[1], reference.shape[2]])
            let result = model.encodeLatents(padded, count: codes.shape[0])
            expectParity(result.latents, try io.tensor(named: "encoder_out"), "encoder_out")
            let margins = try io.tensor(named: "codes_margin")
            let compared = expectCodesMatch(result.codes, codes, margins: margins.reshaped(Array(margins.shape.dropFirst())), "codes")
            #expect(compared > codes.count / 2)
            if result.codes == codes {
                expectParity(result.projected, try io.tensor(named: "projected_latents"), "projected_latents")
                expectParity(result.quantized, try io.tensor(named: "quantized_representation"), "quantized_representation")
            }
            let audioValues = try io.tensor(named: "audio_values")
            expectParity(model.decoder(try io.tensor(named: "quantized_representation")),
                         audioValues.reshaped([1] + audioValues.shape), "audio_values (decode of quantized_representation)")
            let fromCodes = try io.tensor(named: "audio_values_from_codes")
            expectParity(model.decodeCodes(codes), fromCodes.reshaped([1] + fromCodes.shape), "audio_values_from_codes")
        }
    }
}
