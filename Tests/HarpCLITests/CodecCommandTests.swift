import Foundation
import Testing

/// `harp encode`, `decode` and `codec roundtrip` end to end on the tiny EnCodec oracles (random
/// weights in the published layout) and the bundled clip; every bad input is one line.
@Suite(.enabled(if: HarpBinary.path != nil, "skipped: build the harp executable first (swift build)"))
struct CodecCommandTests {
    let folder: String
    static let oracles = HarpBinary.repositoryRoot.appendingPathComponent("Tests/HarpCodecTests/Fixtures/oracles").path
    static var model24k: String { oracles + "/encodec24k" }

    /// A 1.5 s tone at 22.05 kHz (the model resamples it to 24 kHz): short, so debug builds stay quick.
    let clip: String

    init() throws {
        folder = try HarpBinary.makeTemporaryFolder()
        clip = folder + "/tone.wav"
        let tone = WAVBytes.sine(frameCount: 33075, channelCount: 1, sampleRate: 22050)
        try WAVBytes.write(WAVBytes.make(channelCount: 1, sampleRate: 22050, bitsPerSample: 16, payload: tone), to: clip)
    }

    private func expectOneLineFailure(_ arguments: [String], mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try HarpBinary.run(arguments)
        #expect(run.status != 0 && run.status < 128, "\(arguments): exit \(run.status)", sourceLocation: sourceLocation)
        #expect(run.errorLines.count == 1, "\(run.standardError)", sourceLocation: sourceLocation)
        for word in words { #expect(run.standardError.contains(word), "\(run.standardError)", sourceLocation: sourceLocation) }
    }

    @Test func encodesToHarpcAndDecodesBack() throws {
        let codes = folder + "/tone.harpc", audio = folder + "/tone.wav"
        let encode = try HarpBinary.run(["encode", clip, "-o", codes, "--model", Self.model24k, "--bandwidth", "1.5"])
        #expect(encode.status == 0, "\(encode.standardError)")
        #expect(encode.standardOutput.contains("3 codebooks") && encode.standardOutput.contains("kbit/s achieved"))
        let decode = try HarpBinary.run(["decode", codes, "-o", audio, "--model", Self.model24k])
        #expect(decode.status == 0, "\(decode.standardError)")
        let info = try HarpBinary.run(["info", audio])
        #expect(info.standardOutput.contains("24000"), "\(info.standardOutput)")
    }

    @Test func encodesToNPYAndDecodesItWithTheModel() throws {
        let codes = folder + "/tone.npy", audio = folder + "/tone.wav"
        #expect(try HarpBinary.run(["encode", clip, "-o", codes, "--model", Self.model24k]).status == 0)
        let header = try Data(contentsOf: URL(fileURLWithPath: codes)).prefix(80)
        #expect(String(decoding: header, as: UTF8.self).contains("'<i8'"))
        let decode = try HarpBinary.run(["decode", codes, "-o", audio, "--model", Self.model24k])
        #expect(decode.status == 0, "\(decode.standardError)")
        #expect(decode.standardOutput.contains("from 6 codebooks"))
    }

    @Test func roundTripPrintsTheThreeDistances() throws {
        let run = try HarpBinary.run(["codec", "roundtrip", clip, "-o", folder + "/rt.wav", "--model", Self.model24k])
        #expect(run.status == 0, "\(run.standardError)")
        for word in ["mel distance", "SI-SDR", "STFT distance"] { #expect(run.standardOutput.contains(word)) }
        #expect(FileManager.default.fileExists(atPath: folder + "/rt.wav"))
    }

    @Test func codesFromOtherWeightsAreRefused() throws {
        let codes = folder + "/tone.harpc"
        #expect(try HarpBinary.run(["encode", clip, "-o", codes, "--model", Self.model24k]).status == 0)
        try expectOneLineFailure(["decode", codes, "-o", folder + "/x.wav", "--model", Self.oracles + "/encodec32k"],
                                 mentioning: ["encodec_24khz", "encodec_32khz"])
        #expect(!FileManager.default.fileExists(atPath: folder + "/x.wav"))
    }

    @Test func theBundledCodecServesWithoutModel() throws {
        let codes = folder + "/bundled.harpc", audio = folder + "/bundled.wav"
        let encode = try HarpBinary.run(["encode", clip, "-o", codes, "--bandwidth", "3"])
        #expect(encode.status == 0, "\(encode.standardError)")
        #expect(encode.standardOutput.contains("4 codebooks"), "\(encode.standardOutput)")
        let decode = try HarpBinary.run(["decode", codes, "-o", audio])
        #expect(decode.status == 0, "\(decode.standardError)")
        #expect(FileManager.default.fileExists(atPath: audio))
    }

    @Test func badInputIsOneLine() throws {
        // A bundled codec that is not where $HARP_CODEC_MODEL says: one line naming what is missing.
        let missing = try HarpBinary.run(["encode", clip, "-o", folder + "/a.harpc"],
                                         environment: ["HARP_CODEC_MODEL": folder + "/no-such-codec"])
        #expect(missing.status != 0 && missing.status < 128 && missing.errorLines.count == 1, "\(missing.standardError)")
        #expect(missing.standardError.contains("config.json"), "\(missing.standardError)")
        try expectOneLineFailure(["encode", clip, "-o", folder + "/a.harpc", "--model", Self.model24k, "--bandwidth", "7"],
                                 mentioning: ["1.5", "3"])
        try expectOneLineFailure(["encode", clip, "-o", folder + "/a.harpc", "--model", folder],
                                 mentioning: ["config.json"])
        let silence = folder + "/silence.wav"
        try WAVBytes.write(WAVBytes.make(channelCount: 1, sampleRate: 8000, bitsPerSample: 16,
                                         payload: [UInt8](repeating: 0, count: 16000)), to: silence)
        try expectOneLineFailure(["encode", silence, "-o", folder + "/s.harpc", "--model", Self.model24k], mentioning: ["silent"])
        // A truncated .harpc: refused, nothing written.
        let codes = folder + "/tone.harpc"
        #expect(try HarpBinary.run(["encode", clip, "-o", codes, "--model", Self.model24k]).status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: codes))
        try bytes.prefix(bytes.count - 9).write(to: URL(fileURLWithPath: folder + "/cut.harpc"))
        try expectOneLineFailure(["decode", folder + "/cut.harpc", "-o", folder + "/cut.wav", "--model", Self.model24k],
                                 mentioning: ["truncated"])
        #expect(!FileManager.default.fileExists(atPath: folder + "/cut.wav"))
        // Codes beyond the 64-entry codebook in a .npy.
        var npy: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let dictionary = "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2), }"
        let padded = dictionary + String(repeating: " ", count: (64 - (10 + dictionary.count + 1) % 64) % 64) + "\n"
        npy += [UInt8(padded.utf8.count & 0xFF), UInt8(padded.utf8.count >> 8)] + Array(padded.utf8)
        for value: Int64 in [3, 64] { withUnsafeBytes(of: value.littleEndian) { npy += $0 } }
        try Data(npy).write(to: URL(fileURLWithPath: folder + "/big.npy"))
        try expectOneLineFailure(["decode", folder + "/big.npy", "-o", folder + "/big.wav", "--model", Self.model24k],
                                 mentioning: ["64"])
    }
}
