import Foundation
import Testing

/// `harp asura encode / control-map / render` end to end on a model of the tiny parity config
/// trained for two steps by `harp train asura`; bad input is one line and writes nothing.
@Suite(.enabled(if: HarpBinary.path != nil, "skipped: build the harp executable first (swift build)"))
struct AsuraCommandTests {
    static let tinyConfig = HarpBinary.repositoryRoot.appendingPathComponent("Tests/HarpAsuraTests/Fixtures/asura_tiny.json").path
    let folder: String

    init() throws {
        folder = try HarpBinary.makeTemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        try Self.writeTones(to: folder + "/data")
    }

    /// Two tiny models (seeds 0 and 1), trained once for the suite: their model files.
    static let models = Result { () throws -> (String, String) in
        let shared = try HarpBinary.makeTemporaryFolder()
        try FileManager.default.createDirectory(atPath: shared + "/data", withIntermediateDirectories: true)
        try writeTones(to: shared + "/data")
        for seed in 0..<2 {
            let run = try HarpBinary.run(["train", "asura", shared + "/data", "-o", shared + "/run\(seed)", "--config", tinyConfig,
                                          "--steps", "2", "--seed", "\(seed)"])
            guard run.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["stderr": run.standardError]) }
        }
        return (shared + "/run0/model.safetensors", shared + "/run1/model.safetensors")
    }

    static func writeTones(to data: String) throws {
        for (name, hz) in [("a", 440.0), ("b", 1250.0)] {
            let tone = WAVBytes.sine(frameCount: 8820, channelCount: 2, sampleRate: 44100, frequencyHz: hz)
            try WAVBytes.write(WAVBytes.make(channelCount: 2, sampleRate: 44100, bitsPerSample: 16, payload: tone), to: data + "/\(name).wav")
        }
    }

    func trainedModel(_ name: String) throws -> String {
        let (first, second) = try Self.models.get()
        return name == "run" ? first : second
    }

    func expectOneLineFailure(_ arguments: [String], mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try HarpBinary.run(arguments)
        #expect(run.status != 0 && run.status < 128, "\(arguments): exit \(run.status)", sourceLocation: sourceLocation)
        #expect(run.errorLines.count == 1, "\(run.standardError)", sourceLocation: sourceLocation)
        for word in words { #expect(run.standardError.contains(word), "\(run.standardError)", sourceLocation: sourceLocation) }
        if let index = arguments.firstIndex(of: "-o") {
            #expect(!FileManager.default.fileExists(atPath: arguments[index + 1]), "output written", sourceLocation: sourceLocation)
        }
    }

    @Test func encodeControlMapRenderEndToEnd() throws {
        let model = try trainedModel("run")
        let embeddings = folder + "/emb.npy", map = folder + "/map.safetensors", audio = folder + "/out.wav"
        let encode = try HarpBinary.run(["asura", "encode", model, folder + "/data", "-o", embeddings])
        #expect(encode.status == 0, "\(encode.standardError)")
        // 8820 samples / 112-sample windows = 78 per file.
        #expect(encode.standardOutput.contains("156 latents × 8 from 2 files"), "\(encode.standardOutput)")
        let train = try HarpBinary.run(["asura", "control-map", embeddings, "-o", map, "--knobs", "3", "--steps", "20", "--width", "16"])
        #expect(train.status == 0, "\(train.standardError)")
        #expect(train.standardOutput.contains("3 knobs over 8-wide latents of 156 examples, 20 steps"), "\(train.standardOutput)")

        let knobs = folder + "/knobs.json"
        try Data(#"{"points": [{"time": 0, "knobs": [0, 0, 0]}, {"time": 0.05, "knobs": [1, 2.5, -4]}], "duration": 0.1}"#.utf8)
            .write(to: URL(fileURLWithPath: knobs))
        let render = try HarpBinary.run(["asura", "render", model, map, "--knobs", knobs, "-o", audio, "--seed", "3"])
        #expect(render.status == 0, "\(render.standardError)")
        let notes = render.errorLines.filter { $0.hasPrefix("note:") }
        #expect(notes == ["note: 2 knob value(s) outside [-1, 1] clamped (first: point 1 knob 1 = 2.5)"], "\(render.standardError)")
        // ⌈0.1 s · 44100 / 16⌉ = 276 blocks of 16 + a 48-sample tail.
        #expect(render.standardOutput.contains("out.wav: 2 ch, 44100 Hz"), "\(render.standardOutput)")
        let info = try HarpBinary.run(["info", audio])
        #expect(info.standardOutput.contains("2 ch, 0.101 s"), "\(info.standardOutput)")  // 4464 samples
    }

    @Test func aMapForAnotherModelOrWidthIsRefused() throws {
        let model = try trainedModel("run"), other = try trainedModel("other")
        let embeddings = folder + "/emb.npy", map = folder + "/map.safetensors"
        #expect(try HarpBinary.run(["asura", "encode", model, folder + "/data", "-o", embeddings]).status == 0)
        #expect(try HarpBinary.run(["asura", "control-map", embeddings, "-o", map, "--knobs", "2", "--steps", "2", "--width", "16"]).status == 0)
        let knobs = folder + "/knobs.json"
        try Data(#"{"points": [{"time": 0, "knobs": [0, 0]}], "duration": 0.01}"#.utf8).write(to: URL(fileURLWithPath: knobs))
        try expectOneLineFailure(["asura", "render", other, map, "--knobs", knobs, "-o", folder + "/x.wav"],
                                 mentioning: ["map.safetensors", "made for model"])
        try expectOneLineFailure(["asura", "control-map", embeddings, "-o", folder + "/m2.safetensors", "--model", other, "--steps", "2"],
                                 mentioning: ["encoded by model", other])

        // Latents 5 wide for a model whose are 8.
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 5), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        let bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count + 1), 0] + Array((header + "\n").utf8)
            + WAVBytes.float32([Float](repeating: 0.1, count: 20))
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/narrow.npy"))
        try expectOneLineFailure(["asura", "control-map", folder + "/narrow.npy", "-o", folder + "/m3.safetensors", "--model", model],
                                 mentioning: ["5 wide", "8", "wrong width"])
        try expectOneLineFailure(["asura", "render", model, model, "--knobs", knobs, "-o", folder + "/y.wav"],
                                 mentioning: ["not an Asura control map"])
    }
}
