import ArgumentParser
import Foundation
import HarpAsura
import HarpAudio
import HarpCodec
import HarpTensor

/// `harp asura encode MODEL DATA... -o embeddings.npy`.
struct AsuraEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Cache the latents of a corpus (.npy, float32 [windows, d_token]) for a control map.",
        discussion: """
            Every audio file under DATA is resampled to 44.1 kHz with the model's channels and cut \
            into consecutive windows of the sequence encoder's length (seq_enc_length_tokens tokens); \
            each window gives one latent (the reference's encode.py takes windows at random offsets). \
            Files that cannot be read, or are shorter than one window, are skipped with a note. The \
            model's fingerprint is written beside the output (OUT.model) so that control-map can \
            record which model the map belongs to. Ctrl-C stops between files; nothing is written.
            """)

    @Argument(help: "The model (model.safetensors from harp train asura).")
    var model: String

    @Argument(help: "Folders (or files) of audio.")
    var data: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the latents (.npy).", valueName: "file"))
    var output: String

    @Option(help: "Windows per encoder call.")
    var batch = 16

    func run() throws {
        InterruptFlag.install()
        try ErrorReporting.reportingFailure(subject: model) {
            guard output.hasSuffix(".npy") else { throw ErrorReporting.Failure("-o must end in .npy (got \(output))") }
            guard (1...1024).contains(batch) else { throw ErrorReporting.Failure("--batch must be in 1...1024 (got \(batch))") }
            let asura = try AsuraCommand.loadModel(model)
            let files = try AsuraCommand.audioFiles(in: data)
            guard !files.isEmpty else { throw ErrorReporting.Failure("no audio files under \(data.joined(separator: ", "))") }
            var bar = ProgressBar(total: files.count, label: "encode")
            var rows: [Tensor] = []
            for (i, file) in files.enumerated() {
                guard !InterruptFlag.isRaised else { throw ErrorReporting.Failure("interrupted; nothing written") }
                if let latents = try encode(file, with: asura) { rows.append(latents) }
                bar.update(completed: i + 1, figures: ["latents": Double(rows.reduce(0) { $0 + $1.shape[0] })])
            }
            bar.finish()
            guard !rows.isEmpty else { throw ErrorReporting.Failure("no file was long enough for one window of \(asura.config.encoderLengthSamples) samples") }
            let latents = Tensor.concatenated(rows, alongAxis: 0)
            let url = URL(fileURLWithPath: output)
            try NPY.write(latents, to: url)
            try Data(asura.fingerprint.utf8).write(to: URL(fileURLWithPath: output + ".model"), options: .atomic)
            print("\(output): \(latents.shape[0]) latents × \(latents.shape[1]) from \(files.count) files (model \(asura.fingerprint))")
        }
    }

    /// The latents of one file, or nil (with a note) when it is unreadable or too short.
    func encode(_ file: String, with model: AsuraModel) throws -> Tensor? {
        let clip: Tensor
        do {
            clip = try CodecInput.prepare(try AudioFileReader.readAll(path: file), sampleRate: 44_100,
                                          channelCount: model.config.signalChannels)
        } catch {
            FileHandle.standardError.write(Data("skipped \(file): \(error)\n".utf8))
            return nil
        }
        let latents = model.latents(ofClip: clip, batchSize: batch)
        guard latents.shape[0] > 0 else {
            FileHandle.standardError.write(Data("skipped \(file): shorter than one window\n".utf8))
            return nil
        }
        return latents
    }
}
