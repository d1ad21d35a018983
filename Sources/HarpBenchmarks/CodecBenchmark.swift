import Foundation
import HarpCodec
import HarpTensor

/// `harp bench codec`: the published codecs' full-size architectures with random weights (written
/// as a `transformers` folder, so the PyTorch side loads the very same weights), timing encode and
/// decode of the same audio; for the causal 24 kHz model also the stream, one hop per step.
public enum CodecBenchmark {
    /// One codec's figures.
    public struct Result: Codable, Sendable {
        public var model: String
        public var parameterCount: Int
        public var audioSeconds: Double
        public var bandwidth: Double
        public var codesShape: [Int]
        public var encodeSeconds: Double
        public var decodeSeconds: Double
        public var repeats: Int
        /// Peak resident memory of loading the model and one encode and decode.
        public var peakMemory: PeakMemory
        /// The causal model run as a stream, one hop in and one frame out per step: seconds of
        /// compute per second of audio for encode + decode (below 1/20 is ≥ 20× real time).
        public var streamRealTimeFactor: Double?
        /// The stream's block: one hop, in milliseconds.
        public var streamLatencyMilliseconds: Double?

        enum CodingKeys: String, CodingKey {
            case model, bandwidth, repeats
            case parameterCount = "parameters"
            case audioSeconds = "audio_seconds"
            case codesShape = "codes_shape"
            case encodeSeconds = "encode_seconds"
            case decodeSeconds = "decode_seconds"
            case peakMemory = "peak_memory"
            case streamRealTimeFactor = "stream_real_time_factor"
            case streamLatencyMilliseconds = "stream_latency_ms"
        }
    }

    /// A deterministic test signal `[channels, seconds·rate]`: a log sweep 50 Hz → 0.45·rate (up to
    /// 8 kHz) at 0.5 plus a little seeded noise (the right channel a detuned copy).
    public static func testSignal(sampleRate: Int, channelCount: Int, seconds: Double) -> Tensor {
        let count = Int(seconds * Double(sampleRate))
        var generator = RandomGenerator(seed: 7)
        let noise = Tensor.normal([channelCount, count], standardDeviation: 0.01, generator: &generator).scalars
        let top = min(8000, 0.45 * Double(sampleRate)), rate = Double(sampleRate)
        return Tensor(shape: [channelCount, count]) { values in
            for channel in 0..<channelCount {
                let detune = 1 + 0.01 * Double(channel), gain = channel == 0 ? 0.5 : 0.35
                let k = log(top / 50) / seconds
                for i in 0..<count {
                    let t = Double(i) / rate
                    let phase = 2 * Double.pi * 50 * detune * (exp(k * t) - 1) / k
                    values[channel * count + i] = Float(gain * sin(phase)) + noise[channel * count + i]
                }
            }
        }
    }

    /// Writes the full-size random `preset` to `folder` and times it on `seconds` of audio
    /// (also written to `audioFile` as `.npy` `[channels, samples]` for the reference).
    public static func run(_ preset: CodecPreset, folder: URL, audioFile: URL, seconds: Double = 10,
                           repeats: Int = 3) throws -> Result {
        try preset.writeRandomFolder(to: folder)
        var codec: (any NeuralCodec)!
        var audio: Tensor!
        var encoded: EncodedAudio!
        var loadError: Error?
        let memory = PeakMemory.measure {
            do {
                codec = try CodecLoader.load(folder: folder)
                audio = testSignal(sampleRate: codec.sampleRate, channelCount: codec.channelCount, seconds: seconds)
                encoded = try codec.encode(audio, bandwidth: benchmarkBandwidth(codec))
                _ = try codec.decode(encoded)
            } catch {
                loadError = error
            }
        }
        if let loadError { throw loadError }
        try NPY.write(audio, to: audioFile)
        let timer = BenchmarkTimer(repeats: repeats)
        let bandwidth = benchmarkBandwidth(codec)
        let encodeTime = timer.median { _ = try? codec.encode(audio, bandwidth: bandwidth) }
        let decodeTime = timer.median { _ = try? codec.decode(encoded) }
        var result = Result(model: preset.rawValue, parameterCount: try parameterCount(folder), audioSeconds: seconds,
                            bandwidth: encoded.bandwidth, codesShape: encoded.codes.shape,
                            encodeSeconds: encodeTime.seconds, decodeSeconds: decodeTime.seconds,
                            repeats: encodeTime.repeats, peakMemory: memory)
        if let model = codec as? EncodecModel, model.configuration.useCausalConv, model.isStreamable {
            result.streamRealTimeFactor = try streamRealTimeFactor(model, audio: audio, bandwidth: bandwidth)
            result.streamLatencyMilliseconds = 1000 * Double(model.hopLength) / Double(model.sampleRate)
        }
        return result
    }

    /// EnCodec 24 kHz at 6 kbps (as in the reference anchors), every other codec at its highest.
    static func benchmarkBandwidth(_ codec: any NeuralCodec) -> Double? {
        codec.bandwidths.contains(6.0) && codec.identity.name == "encodec_24khz" ? 6.0 : nil
    }

    static func streamRealTimeFactor(_ model: EncodecModel, audio: Tensor, bandwidth: Double?) throws -> Double {
        let encoder = try model.encoderStream(bandwidth: bandwidth)
        let decoder = try model.decoderStream()
        let hop = model.hopLength
        let start = ContinuousClock.now
        for offset in stride(from: 0, to: audio.shape[1] - hop + 1, by: hop) {
            let codes = try encoder.push(audio.sliced(alongAxis: 1, start: offset, end: offset + hop))
            _ = try decoder.push(codes)
        }
        _ = try decoder.push(encoder.finish())
        _ = decoder.finish()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return seconds / (Double(audio.shape[1]) / Double(model.sampleRate))
    }

    static func parameterCount(_ folder: URL) throws -> Int {
        let file = try SafeTensorsFile(contentsOf: folder.appendingPathComponent(CodecLoader.weightsFileName))
        return try file.names.filter { !$0.contains("embed_avg") && !$0.contains("cluster_size") && !$0.contains("inited") }
            .reduce(0) { $0 + Shape.count(try file.shape(of: $1)) }
    }
}
