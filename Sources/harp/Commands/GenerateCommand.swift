import ArgumentParser
import Foundation
import HarpAudio
import HarpDenoise
import HarpGenerate
import HarpTensor

/// `harp generate --model DIR --input-ids FILE.npy [-o OUT.wav] [--codes-out CODES.npy] …`:
/// MusicGen from a `transformers` model folder.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate music with a MusicGen model folder (config.json + safetensors).",
        discussion: """
            The prompt is given as T5 token ids: --input-ids FILE.npy, integers of shape [tokens] or \
            [prompts, tokens] (several prompts are generated together). Padding is id 0, masked out \
            unless --attention-mask gives the mask. Text prompts need the T5 tokenizer, which is not \
            implemented yet.

            Defaults come from the folder's generation_config.json (musicgen-small: sampling with \
            top-k 250 and guidance 3). --greedy picks the most likely token at every step instead. \
            Sampling is reproducible by --seed on this machine.

            --codes-out writes the generated codes [prompts, codebooks, frames] as int64 .npy. \
            Audio (-o) needs the model's EnCodec codec.
            """)

    @Argument(help: "A text prompt (needs the T5 tokenizer; not supported yet — use --input-ids).")
    var prompt: String?

    @Option(help: ArgumentHelp("The model folder.", valueName: "dir"))
    var model: String

    @Option(help: ArgumentHelp("T5 token ids, [tokens] or [prompts, tokens].", valueName: "file.npy"))
    var inputIds: String?

    @Option(help: ArgumentHelp("Attention mask for --input-ids, same shape, 1 = token.", valueName: "file.npy"))
    var attentionMask: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Audio to write (.wav or .flac).", valueName: "out.wav"))
    var output: String?

    @Option(help: ArgumentHelp("Write the generated codes as .npy.", valueName: "file.npy"))
    var codesOut: String?

    @Option(help: "Seconds of audio to generate.")
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
    }

    func run() throws {
        if let threads { Parallel.threadCount = threads }
        InterruptFlag.install()
        try ErrorReporting.reportingFailure(subject: model) {
            guard let inputIds else {
                throw GenerateError.unsupported("text prompts need the T5 tokenizer, which Harp does not have yet; give --input-ids FILE.npy")
            }
            let musicgen = try MusicgenModel.load(folder: URL(fileURLWithPath: model),
                                                  codecFactory: output == nil ? nil : MusicgenCodecs.factory)
            let (ids, mask) = try readPrompt(inputIds)
            let options = try generationOptions(for: musicgen)
            var bar = ProgressBar(total: options.steps, label: "generate")
            let result = try musicgen.generate(ids: ids, mask: mask, options: options,
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
    func generationOptions(for model: MusicgenModel) throws -> GenerationOptions {
        let defaults = model.generationConfiguration
        let steps = model.steps(forDuration: duration)
        guard steps <= model.maximumSteps else {
            let limit = Double(model.maximumSteps - model.configuration.decoder.codebookCount + 1) / model.frameRate
            throw GenerateError.badOption(String(format: "--duration %.2f s is beyond what the model can hold (%.2f s)", duration, limit))
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
