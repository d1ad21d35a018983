import Foundation
import Testing

@Suite(.enabled(if: HarpBinary.path != nil, "skipped: build the harp executable first (swift build)"))
struct DenoiseCommandTests {
    let folder: String

    init() throws {
        folder = try HarpBinary.makeTemporaryFolder()
    }

    /// Writes interleaved float samples as a 32-bit float WAV.
    func writeFloatWAV(_ name: String, _ samples: [Float], channelCount: Int = 1, sampleRate: Int = 48000) throws -> String {
        let path = folder + "/" + name
        try WAVBytes.write(WAVBytes.make(formatTag: 3, channelCount: UInt16(channelCount), sampleRate: UInt32(sampleRate),
                                         bitsPerSample: 32, payload: WAVBytes.float32(samples)), to: path)
        return path
    }

    /// The float samples of a 32-bit float WAV written by harp (its `data` chunk).
    func readFloatWAV(_ path: String) throws -> [Float] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var index = 12
        while index + 8 <= bytes.count {
            let id = String(decoding: bytes[index..<(index + 4)], as: UTF8.self)
            let size = Int(bytes[index + 4]) | Int(bytes[index + 5]) << 8 | Int(bytes[index + 6]) << 16 | Int(bytes[index + 7]) << 24
            if id == "data" {
                let payload = bytes[(index + 8)..<min(index + 8 + size, bytes.count)]
                return stride(from: payload.startIndex, to: payload.endIndex - 3, by: 4).map { i in
                    Float(bitPattern: UInt32(payload[i]) | UInt32(payload[i + 1]) << 8
                          | UInt32(payload[i + 2]) << 16 | UInt32(payload[i + 3]) << 24)
                }
            }
            index += 8 + size + size % 2
        }
        return []
    }

    /// A tone in pseudo-random noise.
    static func noisyTone(frameCount: Int, sampleRate: Int, channelCount: Int) -> [Float] {
        var state: UInt32 = 12345
        var samples: [Float] = []
        for frame in 0..<frameCount {
            for _ in 0..<channelCount {
                state = state &* 1_664_525 &+ 1_013_904_223
                let noise = Float(Int32(bitPattern: state)) / Float(Int32.max) * 0.1
                samples.append(0.3 * Float(sin(2 * Double.pi * 220 * Double(frame) / Double(sampleRate))) + noise)
            }
        }
        return samples
    }

    @Test func denoisesStereo44kKeepingRateChannelsAndLength() throws {
        let input = try writeFloatWAV("in.wav", Self.noisyTone(frameCount: 44100, sampleRate: 44100, channelCount: 2),
                                      channelCount: 2, sampleRate: 44100)
        let output = folder + "/out.wav"
        let run = try HarpBinary.run(["denoise", input, "-o", output])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("2 ch, 44100 Hz, 1.000 s, no attenuation limit"))
        #expect(run.standardOutput.contains("estimated SNR before: "))
        let samples = try readFloatWAV(output)
        #expect(samples.count == 2 * 44100)
        #expect(samples.allSatisfy { $0.isFinite })
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["in.wav", "out.wav"])
    }

    @Test func attenuationLimitAndMusicDefaultArePrinted() throws {
        let input = try writeFloatWAV("in.wav", Self.noisyTone(frameCount: 24000, sampleRate: 48000, channelCount: 1))
        let limited = try HarpBinary.run(["denoise", input, "-o", folder + "/a.wav", "--atten-lim-db", "6", "--post-filter"])
        #expect(limited.status == 0, "\(limited.standardError)")
        #expect(limited.standardOutput.contains("attenuation limit 6 dB, post filter"))
        let music = try HarpBinary.run(["denoise", input, "-o", folder + "/b.wav", "--content", "music"])
        #expect(music.standardOutput.contains("attenuation limit 6 dB"))
    }

    @Test func silenceComesOutSilent() throws {
        let input = try writeFloatWAV("silence.wav", [Float](repeating: 0, count: 48000))
        let run = try HarpBinary.run(["denoise", input, "-o", folder + "/out.wav"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("input is silent: output is silent"))
        #expect(try readFloatWAV(folder + "/out.wav") == [Float](repeating: 0, count: 48000))
    }

    @Test(arguments: ["dc", "clipped", "one-sample"])
    func awkwardInputGivesFiniteOutputOfTheSameLength(kind: String) throws {
        var state: UInt32 = 7
        let samples: [Float] = switch kind {
        case "dc": [Float](repeating: 0.5, count: 30000)
        case "clipped": (0..<30000).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return state & 1 == 0 ? 1 : -1
        }
        default: [0.25]
        }
        let input = try writeFloatWAV("\(kind).wav", samples, sampleRate: 22050)
        let run = try HarpBinary.run(["denoise", input, "-o", folder + "/out.wav"])
        #expect(run.status == 0, "\(run.standardError)")
        let output = try readFloatWAV(folder + "/out.wav")
        #expect(output.count == samples.count)
        #expect(output.allSatisfy { $0.isFinite })
    }

    @Test func nanSamplesAreOneLineErrorAndNothingIsWritten() throws {
        var samples = [Float](repeating: 0.1, count: 4800)
        samples[100] = .nan
        let input = try writeFloatWAV("nan.wav", samples)
        let run = try HarpBinary.run(["denoise", input, "-o", folder + "/out.wav"])
        #expect(run.status != 0)
        #expect(run.errorLines.count == 1)
        #expect(run.standardError.hasPrefix("harp: error: "))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.wav"))
    }

    @Test func absurdAttenuationLimitIsUsageError() throws {
        let input = try writeFloatWAV("in.wav", [Float](repeating: 0.1, count: 4800))
        let run = try HarpBinary.run(["denoise", input, "-o", folder + "/out.wav", "--atten-lim-db", "150"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("--atten-lim-db must be in 0...100"))
    }

    @Test func missingModelIsOneLineError() throws {
        let input = try writeFloatWAV("in.wav", [Float](repeating: 0.1, count: 4800))
        let run = try HarpBinary.run(["denoise", input, "-o", folder + "/out.wav"],
                                     environment: ["HARP_DENOISE_MODEL": folder + "/absent.safetensors"])
        #expect(run.status != 0)
        #expect(run.errorLines.count == 1)
        #expect(run.standardError.contains("DeepFilterNet3 weights not found"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.wav"))
    }

    @Test func emptyFileIsOneLineError() throws {
        let input = try writeFloatWAV("empty.wav", [])
        let run = try HarpBinary.run(["denoise", input, "-o", folder + "/out.wav"])
        #expect(run.status != 0)
        #expect(run.errorLines == ["harp: error: \(input): the file holds no audio (0 frames)"])
    }
}
