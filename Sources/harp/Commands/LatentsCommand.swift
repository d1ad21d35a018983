import ArgumentParser
import Foundation
import HarpAudio
import HarpCodec
import HarpLatent
import HarpTensor

/// `harp latents …`: audio ↔ continuous latents with a music2latent consistency autoencoder.
struct LatentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latents",
        abstract: "Encode audio into continuous latents and decode them back (music2latent).",
        discussion: "See docs/latents.md.",
        subcommands: [LatentsEncodeCommand.self, LatentsDecodeCommand.self])
}

/// `--model DIR`, shared by the latents commands.
struct LatentModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A music2latent folder: config.json + model.safetensors (tools/convert_music2latent.py or harp train latent makes one); default: the bundled model.",
        valueName: "dir"), completion: .directory)
    var model: String?

    @Option(help: ArgumentHelp("Latent frames per chunk for long files (64 ≈ 5.9 s at 44.1 kHz).", valueName: "frames"))
    var chunkFrames = 64

    func load() throws -> ConsistencyAutoencoder {
        guard let model else { return try BundledLatentModel.load() }
        return try ErrorReporting.blaming(model) { try ConsistencyAutoencoder(folder: URL(fileURLWithPath: model)) }
    }

    func chunking() throws -> ConsistencyAutoencoder.Chunking {
        guard chunkFrames >= 8 && chunkFrames <= 4096 else {
            throw ErrorReporting.Failure("--chunk-frames must be in 8...4096 (got \(chunkFrames))")
        }
        return ConsistencyAutoencoder.Chunking(frames: chunkFrames, overlap: 4)
    }
}

/// `harp latents encode IN -o OUT.npy [--model DIR] [--features]`.
struct LatentsEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode audio into latents [channels, 64, frames] (.npy, float32).",
        discussion: """
            Reads any audio file, resamples it to the model's rate (44.1 kHz) and encodes each channel; \
            the file is read and encoded a chunk at a time (with context on both sides), so files of any \
            length run in bounded memory. The latents are scaled as music2latent's EncoderDecoder.encode \
            returns them. --features writes the wider pre-bottleneck features instead (not decodable).
            """)

    @Argument(help: "The audio file to encode.")
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the latents (.npy).", valueName: "file"))
    var output: String

    @OptionGroup var model: LatentModelOptions

    @Flag(help: "Write the encoder's features before the bottleneck instead of the latents.")
    var features = false

    func run() throws {
        try ErrorReporting.reportingFailure(subject: input) {
            guard output.hasSuffix(".npy") else { throw ErrorReporting.Failure("-o must end in .npy (got \(output))") }
            try CodecSupport.checkDistinct(input: input, output: output)
            let autoencoder = try model.load()
            let chunking = try model.chunking()
            let channels = try AudioFileReader(path: input).channelCount
            let source = try StreamingCodecInput(path: input, sampleRate: autoencoder.sampleRate, channelCount: channels)
            let start = Date()
            let latents = try autoencoder.encodeLong(sampleCount: source.sampleCount, features: features,
                                                     chunking: chunking) { try source.samples($0) }
            try LatentFile.write(latents, to: URL(fileURLWithPath: output))
            let seconds = Double(source.sampleCount) / Double(autoencoder.sampleRate)
            print("\(output): \(features ? "features" : "latents") \(latents.shape) "
                  + "(\(String(format: "%.2f", autoencoder.latentRate)) frames/s) from "
                  + "\(Formatting.seconds(seconds)) s in \(Formatting.seconds(Date().timeIntervalSince(start))) s")
        }
    }
}

/// `harp latents decode IN.npy -o OUT.wav [--model DIR] [--steps N] [--seed S] [--noise FILE.npy]`.
struct LatentsDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode latents [channels, 64, frames] (.npy) into audio.",
        discussion: """
            One consistency step from noise by default; more --steps refine (re-noising between steps). \
            Decoding is stochastic: --seed fixes the noise, --noise takes the starting noise from a \
            .npy file [channels, 2, 1024, frames·8] (standard normal, as music2latent draws it) so a \
            result can be compared with the reference implementation. Long latents are decoded a chunk \
            at a time and cross-faded; the file is written to a temporary name and renamed when complete.
            """)

    @Argument(help: "The latents to decode (.npy, float32 [channels, 64, frames]).")
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The audio to write (.wav or .flac).", valueName: "file"))
    var output: String

    @OptionGroup var model: LatentModelOptions

    @Option(help: "Consistency steps (1 = one step from noise).")
    var steps = 1

    @Option(help: "Seed of the decoding noise.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Starting noise (.npy, [channels, 2, 1024, frames·8]).", valueName: "file"))
    var noise: String?

    func run() throws {
        try ErrorReporting.reportingFailure(subject: input) {
            guard steps >= 1 else { throw ErrorReporting.Failure("--steps must be at least 1 (got \(steps))") }
            try CodecSupport.checkDistinct(input: input, output: output)
            let autoencoder = try model.load()
            let chunking = try model.chunking()
            let latents = try LatentFile.read(URL(fileURLWithPath: input))
            let startNoise = try noise.map { path in
                try ErrorReporting.blaming(path) { try LatentFile.read(URL(fileURLWithPath: path), as: .noise) }
            }
            var generator = RandomGenerator(seed: seed)
            let start = Date()
            var written = 0
            // Checks the latents before the output file is created.
            try autoencoder.checkedForDecoding(latents, steps: steps, noise: startNoise)
            try CodecSupport.writeAudio(sampleRate: autoencoder.sampleRate, channelCount: latents.shape[0], to: output) { write in
                try autoencoder.decodeLong(latents, steps: steps, noise: startNoise, chunking: chunking,
                                           generator: &generator) { block in
                    written += block.shape[1]
                    try write(block)
                }
            }
            let seconds = Double(written) / Double(autoencoder.sampleRate)
            print("\(output): \(latents.shape[0]) ch, \(autoencoder.sampleRate) Hz, \(Formatting.seconds(seconds)) s, "
                  + "\(steps) step\(steps == 1 ? "" : "s") (\(Formatting.seconds(Date().timeIntervalSince(start))) s)")
        }
    }
}
