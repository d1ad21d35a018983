import Foundation
import Testing

/// `harp latents encode` / `decode` end to end on the tiny music2latent oracle (random weights in
/// the package's layout); every bad input is one line and leaves no output behind.
@Suite(.enabled(if: HarpBinary.path != nil, "skipped: build the harp executable first (swift build)"))
struct LatentsCommandTests {
    let folder: String
    static let model = HarpBinary.repositoryRoot.appendingPathComponent("Tests/HarpLatentTests/Fixtures/oracles/music2latent").path
    static let otherModel = HarpBinary.repositoryRoot.appendingPathComponent("Tests/HarpCodecTests/Fixtures/oracles/dac44k").path

    /// 0.3 s of a 440 Hz tone at 44.1 kHz: two latent frames, quick in debug builds.
    let clip: String

    init() throws {
        folder = try HarpBinary.makeTemporaryFolder()
        clip = folder + "/tone.wav"
        let tone = WAVBytes.sine(frameCount: 13230, channelCount: 1, sampleRate: 44100)
        try WAVBytes.write(WAVBytes.make(channelCount: 1, sampleRate: 44100, bitsPerSample: 16, payload: tone), to: clip)
    }

    /// A `.npy` of `descr` with `shape` and `payload` bytes.
    func writeNPY(_ name: String, descr: String = "<f4", shape: [Int], payload: [UInt8]? = nil, values: [Float]? = nil) throws -> String {
        let tuple = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(tuple), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count + 1), 0] + Array((header + "\n").utf8)
        let count = shape.reduce(1, *)
        bytes += payload ?? WAVBytes.float32(values ?? [Float](repeating: 0.1, count: count))
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func expectOneLineFailure(_ arguments: [String], mentioning words: [String],
                                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try HarpBinary.run(arguments)
        #expect(run.status != 0 && run.status < 128, "\(arguments): exit \(run.status)", sourceLocation: sourceLocation)
        #expect(run.errorLines.count == 1, "\(run.standardError)", sourceLocation: sourceLocation)
        for word in words { #expect(run.standardError.contains(word), "\(run.standardError)", sourceLocation: sourceLocation) }
        if let index = arguments.firstIndex(of: "-o") {
            #expect(!FileManager.default.fileExists(atPath: arguments[index + 1]), "output written", sourceLocation: sourceLocation)
        }
    }

    @Test func encodesToLatentsAndDecodesBack() throws {
        let latents = folder + "/tone.npy", audio = folder + "/back.wav"
        let encode = try HarpBinary.run(["latents", "encode", clip, "-o", latents, "--model", Self.model])
        #expect(encode.status == 0, "\(encode.standardError)")
        #expect(encode.standardOutput.contains("latents [1, 16, 2]"), "\(encode.standardOutput)")
        let decode = try HarpBinary.run(["latents", "decode", latents, "-o", audio, "--model", Self.model, "--seed", "7"])
        #expect(decode.status == 0, "\(decode.standardError)")
        let info = try HarpBinary.run(["info", audio])   // 2·4096 + 1536 = 9728 samples
        #expect(info.standardOutput.contains("44100") && info.standardOutput.contains("0.221 s"), "\(info.standardOutput)")
        let features = try HarpBinary.run(["latents", "encode", clip, "-o", folder + "/f.npy", "--model", Self.model, "--features"])
        #expect(features.standardOutput.contains("features [1, 1024, 2]"), "\(features.standardOutput)")
    }

    @Test func decodesFromGivenNoise() throws {
        let latents = try writeNPY("l.npy", shape: [1, 16, 1])
        let noise = try writeNPY("n.npy", shape: [1, 2, 1024, 8])
        let run = try HarpBinary.run(["latents", "decode", latents, "-o", folder + "/n.wav", "--model", Self.model, "--noise", noise])
        #expect(run.status == 0, "\(run.standardError)")
        let wrong = try writeNPY("w.npy", shape: [1, 2, 1024, 9])
        try expectOneLineFailure(["latents", "decode", latents, "-o", folder + "/w.wav", "--model", Self.model, "--noise", wrong],
                                 mentioning: ["invalid noise", "[1, 2, 1024, 8]"])
    }

    @Test func badInputIsOneLine() throws {
        let out = folder + "/out.wav"
        try expectOneLineFailure(["latents", "encode", clip, "-o", folder + "/x.npy"], mentioning: ["no default music2latent model is bundled yet", "--model DIR"])
        try expectOneLineFailure(["latents", "encode", clip, "-o", folder + "/x.npy", "--model", Self.otherModel],
                                 mentioning: ["not a music2latent model folder"])
        let short = folder + "/short.wav"
        try WAVBytes.write(WAVBytes.make(channelCount: 1, sampleRate: 44100, bitsPerSample: 16,
                                         payload: WAVBytes.sine(frameCount: 5000, channelCount: 1, sampleRate: 44100)), to: short)
        try expectOneLineFailure(["latents", "encode", short, "-o", folder + "/x.npy", "--model", Self.model],
                                 mentioning: ["too short", "at least 5632 samples", "0.128 s"])
        let good = try writeNPY("good.npy", shape: [1, 16, 1])
        try expectOneLineFailure(["latents", "decode", good, "-o", out, "--model", Self.model, "--steps", "0"],
                                 mentioning: ["--steps must be at least 1"])
        try expectOneLineFailure(["latents", "decode", try writeNPY("rank.npy", shape: [16, 3]), "-o", out, "--model", Self.model],
                                 mentioning: ["rank 2"])
        try expectOneLineFailure(["latents", "decode", try writeNPY("ch.npy", shape: [1, 8, 3]), "-o", out, "--model", Self.model],
                                 mentioning: ["8 latent channels", "has 16"])
        var values = [Float](repeating: 0, count: 16); values[3] = .nan
        try expectOneLineFailure(["latents", "decode", try writeNPY("nan.npy", shape: [1, 16, 1], values: values), "-o", out,
                                  "--model", Self.model], mentioning: ["NaN"])
        try expectOneLineFailure(["latents", "decode", try writeNPY("int.npy", descr: "<i8", shape: [1, 16, 1],
                                                                    payload: [UInt8](repeating: 0, count: 128)),
                                  "-o", out, "--model", Self.model], mentioning: ["dtype <i8"])
    }
}
