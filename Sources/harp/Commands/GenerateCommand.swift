import ArgumentParser
import Foundation
import HarpAudio
import HarpDenoise
import HarpGenerate
import HarpTensor
import HarpText

/// `harp generate "PROMPT" [--model DIR] [-o OUT.wav] [--codes-out CODES.npy] [--continue CLIP] …`:
/// MusicGen from a `transformers` model folder, prompted by text (the folder's T5 tokenizer), by
/// a file of prompts, or by token ids; without `--model`, Harp's own generator (MiniLM-conditioned,
/// over the bundled codec's tokens) when one is bundled.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate music with a MusicGen model folder (config.json + safetensors) or Harp's generator.",
        discussion: """
            Without --model, Harp's own generator is used (a small MusicGen-style LM over the \
            bundled codec's tokens, conditioned on all-MiniLM-L6-v2; $HARP_GENERATOR_MODEL names \
            another folder). Its text encoder is read from $HARP_MINILM or ~/.cache/harp/all-MiniLM-L6-v2 \
            (`make minilm` fetches it).

            The prompt is text, tokenized with the folder's T5 tokenizer (tokenizer.json, else \
            spiece.model); --prompts FILE.txt takes one prompt per line (blank lines skipped) and \
            generates them together in one batch. Or give T5 token ids: --input-ids FILE.npy, \
            integers of shape [tokens] or [prompts, tokens]; padding is id 0, masked out unless \
            --attention-mask gives the mask. Prompts longer than the tokenizer's limit (512 tokens \
            for T5) are cut, and harp says so.

            With several prompts, -o out.wav writes out-0.wav, out-1.wav, … in the order of the \
            prompts, and --codes-out holds them all, [prompts, codebooks, frames].

            --continue CLIP extends a clip: it is encoded with the model's EnCodec and its codes \
            lead the generation (prompted continuation); the output is the clip's audio (as the \
            codec reproduces it) followed by --duration seconds of new audio.

            Defaults come from the folder's generation_config.json (musicgen-small: sampling with \
            top-k 250 and guidance 3). --greedy picks the most likely token at every step instead. \
            Sampling is reproducible by --seed on this machine.

            --codes-out writes the generated codes [prompts, codebooks, frames] as int64 .npy. \
            Audio (-o) needs the model's EnCodec codec.
            """)

    @Argument(help: "A text prompt, e.g. \"An uplifting jazz song\".")
    var prompt: String?

    @Option(help: ArgumentHelp("Text prompts, one a line, generated together.", valueName: "file.txt"))
    var prompts: String?

    @Option(name: .customLong("continue"), help: ArgumentHelp("A clip to continue (any audio file).", valueName: "clip"))
    var continuation: String?

    @Option(help: ArgumentHelp("The model folder (default: Harp's bundled generator).", valueName: "dir"))
    var model: String?

    @Option(help: ArgumentHelp("T5 token ids, [tokens] or [prompts, tokens].", valueName: "file.npy"))
    var inputIds: String?

    @Option(help: ArgumentHelp("Attention mask for --input-ids, same shape, 1 = token.", valueName: "file.npy"))
    var attentionMask: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Audio to write (.wav or .flac).", valueName: "out.wav"))
    var output: String?

    @Option(help: ArgumentHelp("Write the generated codes as .npy.", valueName: "file.npy"))
    var codesOut: String?

    @Option(help: "Seconds of audio to generate (after the clip, with --continue).")
    var duration: Double = 5

    @Flag(help: "Take the most likely token at every step (no sampling).")
    var greedy = false

    @Option(help: "Seed of the sampling draws.")
    var seed: UInt64 = 0

    @Option(help: "Keep the K most likely tokens when sampling (0: all). Default: the model's.")
    var topK: Int?

    @Option(help: "Keep the most likely tokens up to this probability mass, in (0, 1]. Default: the model's.")
    var topP: Float?

    @Option(help: "Divide the logits by this before sampling. Default: the model's.")
    var temperature: Float?

    @Option(help: "Classifier-free guidance scale (≤ 1: off). Default: the model's.")
    var guidance: Float?

    @Flag(help: ArgumentHelp("Clean the generated audio with DeepFilterNet3 at the music setting (at most \(Int(DenoiseDefaults.musicAttenuationLimitDecibels)) dB of reduction), as seed 004 does."))
    var denoise = false

    @Option(help: "Threads for the kernels.")
    var threads: Int?

    func validate() throws {
        guard output != nil || codesOut != nil else { throw ValidationError("give -o OUT.wav, --codes-out FILE.npy or both") }
        guard duration.isFinite && duration > 0 else { throw ValidationError("--duration must be above 0 seconds") }
        if let topP, !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must lie in (0, 1], got \(topP)") }
        if let topK, topK < 0 { throw ValidationError("--top-k must be 0 (off) or more") }
        if let temperature, !(temperature > 0 && temperature.isFinite) { throw ValidationError("--temperature must be above 0") }
        if let guidance, !guidance.isFinite { throw ValidationError("--guidance must be a number") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be in 1...256") }
        if let prompt, prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("the prompt is empty")
        }
        let sources = [prompt != nil, prompts != nil, inputIds != nil].filter { $0 }.count
        guard sources == 1 else {
            throw ValidationError(sources == 0 ? "give a prompt, --prompts FILE.txt or --input-ids FILE.npy"
                                               : "give only one of a prompt, --prompts and --input-ids")
        }
        if attentionMask != nil && inputIds == nil { throw ValidationError("--attention-mask goes with --input-ids") }
    }

    func run() throws {
        if let threads { Parallel.threadCount = threads }
        InterruptFlag.install()
        try ErrorReporting.reportingFailure(subject: model) {
            let folder = try model.map { URL(fileURLWithPath: $0) } ?? BundledGenerator.folder()
            let needsCodec = output != nil || continuation != nil
            let isGenerator = try MusicgenModel.configuration(folder: folder).components != nil
            // A transformers folder's tokenizer is checked before its (large) weights are read.
            let t5Prompt = isGenerator ? nil : try promptIDs(folder: folder)
            let musicgen = try MusicgenModel.load(folder: folder, codecFactory: needsCodec ? MusicgenCodecs.factory : nil)
            let (ids, mask) = try t5Prompt ?? sentencePromptIDs(musicgen)
            let clipCodes = try continuation.map { path in
                try ErrorReporting.blaming(path) { try musicgen.encodePrompt(CodecSupport.readAudio(path, for: musicgen.audioCodec!)) }
            }
            let options = try generationOptions(for: musicgen, promptFrames: clipCodes?.shape[2] ?? 0)
            var bar = ProgressBar(total: options.steps, label: "generate")
            let result = try musicgen.generate(ids: ids, mask: mask, prompt: clipCodes, options: options,
                                               progress: { bar.update(completed: $0) },
                                               isCancelled: { InterruptFlag.isRaised })
            bar.finish()
            if let codesOut {
                try NPY.write(result.codes, to: URL(fileURLWithPath: codesOut))
                print("\(codesOut): codes \(result.codes.shape)")
            }
            if let output { try writeAudio(musicgen.decodeAudio(result.codes), rate: musicgen.configuration.sampleRate, to: output) }
        }
    }

    /// The T5 ids and mask `[prompts, tokens]`: from --input-ids, or the prompt text(s) through the
    /// folder's tokenizer (cut to its limit, said once).
    func promptIDs(folder: URL) throws -> (IntTensor, IntTensor) {
        if let inputIds { return try readPrompt(inputIds) }
        let texts = try prompts.map(Self.readPrompts) ?? [prompt ?? ""]
        let tokenizer = try Self.tokenizer(folder: folder)
        let batch = tokenizer.encodeBatch(texts)
        noteTruncation(batch.truncated, of: texts, limit: tokenizer.maximumLength)
        let width = batch.ids.first?.count ?? 0
        return (IntTensor(shape: [texts.count, width], scalars: batch.ids.joined().map { Int32($0) }),
                IntTensor(shape: [texts.count, width], scalars: batch.mask.joined().map { Int32($0) }))
    }

    /// A Harp generator's ids and mask: --input-ids, or the prompt(s) through MiniLM's WordPiece
    /// tokenizer (cut to its limit, said once).
    func sentencePromptIDs(_ musicgen: MusicgenModel) throws -> (IntTensor, IntTensor) {
        if let inputIds { return try readPrompt(inputIds) }
        guard let sentence = musicgen.sentenceEncoder else { throw GenerateError.badInput("the model has no sentence encoder") }
        let texts = try prompts.map(Self.readPrompts) ?? [prompt ?? ""]
        let batch = sentence.tokenize(texts)
        noteTruncation(batch.truncated, of: texts, limit: sentence.tokenizer.maximumLength)
        return (batch.ids, batch.mask)
    }

    func noteTruncation(_ truncated: [Int], of texts: [String], limit: Int) {
        guard !truncated.isEmpty else { return }
        let which = texts.count == 1 ? "the prompt is" : "prompts \(truncated.map { String($0 + 1) }.joined(separator: ", ")) are"
        FileHandle.standardError.write(Data("harp: note: \(which) longer than the text encoder's \(limit) tokens; cut to fit\n".utf8))
    }

    /// The folder's tokenizer; without one, a line pointing at --input-ids.
    static func tokenizer(folder: URL) throws -> SentencePieceTokenizer {
        let result = Result { () throws(TokenizerError) in try SentencePieceTokenizer.load(folder: folder) }
        switch result {
        case .success(let tokenizer): return tokenizer
        case .failure(.noTokenizer):
            throw GenerateError.badInput("no tokenizer.json or spiece.model in the model folder; give T5 token ids with --input-ids FILE.npy")
        // The file at fault leads the line, not the folder.
        case .failure(.malformed(let file, let reason)):
            throw ErrorReporting.FileFault(path: file, error: ErrorReporting.Failure("not a valid tokenizer file (\(reason))"))
        case .failure(.unsupported(let file, let what)):
            throw ErrorReporting.FileFault(path: file, error: ErrorReporting.Failure("unsupported tokenizer (\(what))"))
        case .failure(.missingModel(let message)):
            throw ErrorReporting.Failure(message)
        }
    }

    /// The non-blank lines of a prompts file (at most 256 prompts, a batch the CPU can hold).
    static func readPrompts(_ path: String) throws -> [String] {
        try ErrorReporting.blaming(path) {
            let size = CodecSupport.fileSize(path) ?? 0
            guard size <= 1 << 20 else { throw ErrorReporting.Failure("\(size) bytes; a prompts file holds at most 1 MB") }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ErrorReporting.Failure("cannot be read as UTF-8 text")
            }
            let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !lines.isEmpty else { throw ErrorReporting.Failure("no prompts (one a line)") }
            guard lines.count <= 256 else { throw ErrorReporting.Failure("\(lines.count) prompts; at most 256 go in one batch") }
            return lines
        }
    }

    /// The ids `[prompts, tokens]` and their mask (given, or 0 where the id is T5's pad 0).
    func readPrompt(_ path: String) throws -> (IntTensor, IntTensor) {
        var ids: IntTensor
        do { ids = try NPY.readIntegers(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw GenerateError.badInput("\(path): \(error)")
        }
        if ids.rank == 1 { ids = ids.reshaped([1, ids.count]) }
        guard ids.rank == 2, ids.count > 0 else {
            throw GenerateError.badInput("\(path): token ids of shape \(ids.shape); expected [tokens] or [prompts, tokens]")
        }
        guard let attentionMask else {
            return (ids, IntTensor(shape: ids.shape, scalars: ids.scalars.map { $0 == 0 ? 0 : 1 }))
        }
        var mask: IntTensor
        do { mask = try NPY.readIntegers(contentsOf: URL(fileURLWithPath: attentionMask)) } catch {
            throw GenerateError.badInput("\(attentionMask): \(error)")
        }
        if mask.rank == 1 { mask = mask.reshaped([1, mask.count]) }
        return (ids, mask)
    }

    /// The options: the folder's generation_config.json, overridden by the flags.
    /// `promptFrames`: the code frames of the clip to continue, which take room in the model.
    func generationOptions(for model: MusicgenModel, promptFrames: Int = 0) throws -> GenerationOptions {
        let defaults = model.generationConfiguration
        let steps = model.steps(forDuration: duration)
        guard promptFrames + steps <= model.maximumSteps else {
            let limit = Double(model.maximumSteps - promptFrames - model.configuration.decoder.codebookCount + 1) / model.frameRate
            let after = promptFrames > 0 ? " after the clip" : ""
            throw GenerateError.badOption(String(format: "--duration %.2f s is beyond what the model can hold%@ (%.2f s)",
                                                 duration, after, max(0, limit)))
        }
        let sampling = greedy || !defaults.doSample && topK == nil && topP == nil && temperature == nil
            ? nil
            : SamplingOptions(temperature: temperature ?? defaults.temperature ?? 1, topK: topK ?? defaults.topK ?? 50,
                              topP: topP ?? defaults.topP ?? 1, seed: seed)
        return GenerationOptions(steps: steps, guidanceScale: guidance ?? defaults.guidanceScale, sampling: sampling)
    }

    func writeAudio(_ audio: Tensor, rate: Int, to path: String) throws {
        let format = try AudioFormat.forWriting(path: path, encoding: nil)
        let (batch, channels) = (audio.shape[0], audio.shape[1])
        for item in 0..<batch {
            let target = batch == 1 ? path : Self.numbered(path, item)
            let samples = audio.sliced(alongAxis: 0, start: item, end: item + 1).reshaped([channels, -1])
            var interleaved = samples.transposed().scalars
            if denoise { interleaved = try Self.denoised(interleaved, channelCount: channels, rate: rate) }
            let writer = try AudioFileWriter(path: target, format: format, sampleRate: rate, channelCount: channels)
            try writer.write(AudioBuffer(interleaved: interleaved, channelCount: channels, sampleRate: rate))
            try writer.commit()
            print("\(target): \(Formatting.seconds(Double(samples.shape[1]) / Double(rate))) s at \(rate) Hz")
        }
    }

    /// `samples` (interleaved) through DeepFilterNet3 with the music attenuation limit, same length.
    static func denoised(_ samples: [Float], channelCount: Int, rate: Int) throws -> [Float] {
        let denoiser = try AudioDenoiser(weights: DeepFilterNetWeights.bundled(), sampleRate: rate,
                                         channelCount: channelCount,
                                         attenuationLimitDecibels: DenoiseDefaults.musicAttenuationLimitDecibels,
                                         postFilterBeta: 0)
        var output = try denoiser.process(AudioBuffer(interleaved: samples, channelCount: channelCount, sampleRate: rate))
        output.append(denoiser.finish())
        return output.samples
    }

    /// `out.wav` → `out-2.wav` for the third prompt.
    static func numbered(_ path: String, _ index: Int) -> String {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent("\(stem)-\(index).\(url.pathExtension)").path
    }
}
