import Foundation
import Testing

/// `harp generate` end to end on the MusicGen oracle folder (tiny random model): greedy codes
/// with and without guidance equal `transformers`' exactly, audio is written, sampling repeats by
/// seed, and bad options are one line each.
@Suite(.enabled(if: HarpBinary.path != nil, "skipped: build the harp executable first (swift build)"))
struct GenerateCommandTests {
    let folder: String
    let model = HarpBinary.repositoryRoot.appendingPathComponent("Tests/HarpGenerateTests/Fixtures/oracles/musicgen").path

    init() throws { folder = try HarpBinary.makeTemporaryFolder() }

    /// The oracle's int64 tensor `name` from io.safetensors, flattened.
    private func referenceIntegers(_ name: String, file: String? = nil) throws -> (shape: [Int], values: [Int64]) {
        let data = try Data(contentsOf: URL(fileURLWithPath: file ?? model + "/io.safetensors"))
        let length = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as! [String: Any]
        let entry = header[name] as! [String: Any]
        let offsets = entry["data_offsets"] as! [Int]
        let bytes = data.subdata(in: (8 + length + offsets[0])..<(8 + length + offsets[1]))
        let values = stride(from: 0, to: bytes.count, by: 8).map { i in
            bytes.subdata(in: i..<(i + 8)).withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
        }
        return (entry["shape"] as! [Int], values)
    }

    /// An int64 `.npy` file.
    private func writeNPY(_ values: [Int64], shape: [Int], to path: String) throws {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (\(dims)), }"
        while (10 + dict.count + 1) % 64 != 0 { dict += " " }
        dict += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(dict.count & 0xFF), UInt8(dict.count >> 8)]
        bytes += Array(dict.utf8)
        for v in values { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Reads an int64 `.npy` written by harp (values only).
    private func readNPY(_ path: String) throws -> [Int64] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        let body = data.subdata(in: (10 + headerLength)..<data.count)
        return stride(from: 0, to: body.count, by: 8).map { i in
            body.subdata(in: i..<(i + 8)).withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
        }
    }

    private func writePrompt() throws -> String {
        let ids = try referenceIntegers("input_ids")
        let path = folder + "/ids.npy"
        try writeNPY(ids.values, shape: ids.shape, to: path)
        return path
    }

    @Test(arguments: [("nocfg", "1"), ("cfg3", "3")])
    func greedyCodesMatchTransformers(tag: String, guidance: String) throws {
        let ids = try writePrompt()
        // 16 decoder steps = 13 frames at 50 Hz = 0.26 s.
        let run = try HarpBinary.run(["generate", "--model", model, "--input-ids", ids, "--greedy", "--guidance", guidance,
                                      "--duration", "0.26", "--codes-out", folder + "/codes.npy", "-o", folder + "/out.wav"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try readNPY(folder + "/codes.npy") == referenceIntegers("gen_\(tag)_codes").values)
        for item in 0..<2 { #expect(FileManager.default.fileExists(atPath: folder + "/out-\(item).wav")) }
    }

    @Test func denoisedOutputKeepsTheLengthAndChangesTheAudio() throws {
        let ids = try writePrompt()
        func generate(_ name: String, _ extra: [String]) throws -> Data {
            let run = try HarpBinary.run(["generate", "--model", model, "--input-ids", ids, "--greedy", "--duration", "0.26",
                                          "-o", folder + "/\(name).wav"] + extra)
            #expect(run.status == 0, "\(run.standardError)")
            return try Data(contentsOf: URL(fileURLWithPath: folder + "/\(name)-0.wav"))
        }
        let plain = try generate("plain", []), cleaned = try generate("clean", ["--denoise"])
        #expect(plain.count == cleaned.count)   // same format, same number of samples
        #expect(plain != cleaned)
    }

    @Test func samplingRepeatsBySeed() throws {
        let ids = try writePrompt()
        func codes(_ seed: String, _ name: String) throws -> [Int64] {
            let run = try HarpBinary.run(["generate", "--model", model, "--input-ids", ids, "--seed", seed, "--top-k", "10",
                                          "--duration", "0.2", "--codes-out", folder + "/" + name])
            #expect(run.status == 0, "\(run.standardError)")
            return try readNPY(folder + "/" + name)
        }
        #expect(try codes("3", "a.npy") == codes("3", "b.npy"))
    }

    @Test(arguments: [
        (["--top-p", "1.5"], "--top-p"),
        (["--duration", "600"], "beyond what the model can hold"),
        (["--model", "/nonexistent-model"], "config.json"),
    ])
    func badOptionsAreOneLine(extra: [String], words: String) throws {
        let ids = try writePrompt()
        var arguments = ["generate", "--model", model, "--input-ids", ids, "--codes-out", folder + "/c.npy"]
        if extra.first == "--model" { arguments[2] = extra[1] } else { arguments += extra }
        let run = try HarpBinary.run(arguments)
        #expect(run.status != 0 && run.status < 128)
        // A usage error (exit 64) is one line followed by the usage hint; other failures are one line.
        #expect(run.status == 64 || run.errorLines.count == 1, "\(run.standardError)")
        #expect(run.errorLines.first?.contains(words) == true, "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/c.npy"))
    }

    @Test func textPromptWithoutTokenizerSaysSo() throws {
        let run = try HarpBinary.run(["generate", "jazz", "--model", model, "--codes-out", folder + "/c.npy"])
        #expect(run.status != 0)
        #expect(run.errorLines.count == 1, "\(run.standardError)")
        #expect(run.standardError.contains("tokenizer"))
    }

    /// The oracle folder plus a tokenizer (tools/musicgen/make_text_prompt_fixture.py): `files`
    /// from the text_prompt fixtures beside links to the model's own files.
    private func modelWithTokenizer(_ files: [String]) throws -> String {
        let withTokenizer = folder + "/model-" + files.joined(separator: "-")
        try FileManager.default.createDirectory(atPath: withTokenizer, withIntermediateDirectories: true)
        for name in ["config.json", "generation_config.json", "model.safetensors"] {
            try FileManager.default.createSymbolicLink(atPath: withTokenizer + "/" + name, withDestinationPath: model + "/" + name)
        }
        for name in files { try FileManager.default.copyItem(atPath: textFixtures + "/" + name, toPath: withTokenizer + "/" + name) }
        return withTokenizer
    }

    private var textFixtures: String {
        HarpBinary.repositoryRoot.appendingPathComponent("Tests/HarpGenerateTests/Fixtures/text_prompt").path
    }

    /// Two text prompts, tokenized by the folder's tokenizer (either file kind) and batched, give
    /// transformers' greedy codes with guidance 3.
    @Test(arguments: [["tokenizer.json", "tokenizer_config.json"], ["spiece.model", "tokenizer_config.json"]])
    func textPromptsMatchTransformers(files: [String]) throws {
        let run = try HarpBinary.run(["generate", "--prompts", textFixtures + "/prompts.txt", "--model", modelWithTokenizer(files),
                                      "--greedy", "--guidance", "3", "--duration", "0.26", "--codes-out", folder + "/codes.npy"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try readNPY(folder + "/codes.npy")
                == referenceIntegers("text_cfg3_codes", file: textFixtures + "/reference.safetensors").values)
    }

    /// `--continue CLIP`: the clip's codes lead; the output holds them and 9 new frames.
    @Test func continuationMatchesTransformers() throws {
        let clip = HarpBinary.repositoryRoot.appendingPathComponent("Tests/HarpGenerateTests/Fixtures/continuation/clip.wav").path
        let run = try HarpBinary.run(["generate", "--prompts", textFixtures + "/prompts.txt",
                                      "--model", modelWithTokenizer(["tokenizer.json"]), "--continue", clip,
                                      "--greedy", "--guidance", "3", "--duration", "0.18", "--codes-out", folder + "/codes.npy",
                                      "-o", folder + "/more.wav"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try readNPY(folder + "/codes.npy")
                == referenceIntegers("continue_cfg3_codes", file: textFixtures + "/reference.safetensors").values)
        for item in 0..<2 { #expect(FileManager.default.fileExists(atPath: folder + "/more-\(item).wav")) }
    }

    @Test(arguments: [
        (["  "], "the prompt is empty"),
        (["jazz", "--input-ids", "x.npy"], "only one of"),
        (["--prompts", "/nonexistent/prompts.txt"], "prompts.txt"),
        (["jazz", "--continue", "/nonexistent/clip.wav"], "clip.wav"),
    ])
    func badTextInputIsOneLine(extra: [String], words: String) throws {
        let run = try HarpBinary.run(["generate", "--model", modelWithTokenizer(["tokenizer.json"]),
                                      "--codes-out", folder + "/c.npy"] + extra)
        #expect(run.status != 0 && run.status < 128)
        #expect(run.status == 64 || run.errorLines.count == 1, "\(run.standardError)")
        #expect(run.errorLines.first?.contains(words) == true, "\(run.standardError)")
    }

    @Test func longPromptIsCutAndSaysSoOnce() throws {
        let prompt = String(repeating: "jazz ", count: 600)
        let run = try HarpBinary.run(["generate", prompt, "--model", modelWithTokenizer(["tokenizer.json"]),
                                      "--greedy", "--duration", "0.1", "--codes-out", folder + "/c.npy"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.components(separatedBy: "longer than the text encoder's 512 tokens").count == 2,
                "\(run.standardError)")
    }
}
