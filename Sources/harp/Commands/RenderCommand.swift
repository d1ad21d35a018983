import ArgumentParser
import Foundation
import HarpAudio
import HarpInstrument
import HarpTensor

/// `harp render INSTRUMENT -o OUT.wav (--control FILE.npy | --random | --score FILE.json | --fitted)`.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Play an instrument: render a performance to a WAV or FLAC file.",
        discussion: """
            The performance is one of: --control FILE.npy, a float32 control signal of shape \
            [control dimensions, frames] (as `harp fit` learned it: 16 × 1024 by default); \
            --random, the seed's random performance (uniform values between the fitted plane's \
            extremes, all but the 16 strongest dropped); --score FILE.json, events at times (see \
            docs/file-formats.md); or --fitted, the fitted control signal itself (a reconstruction).

            The attack noise is drawn from --seed, so the same inputs give the same file, bit for \
            bit. The output is peak-normalised like the seed's examples unless --raw is given.
            """)

    @Argument(help: "An instrument.safetensors written by `harp fit`.")
    var instrument: String

    @Option(name: .shortAndLong, help: "The file to write (.wav or .flac).")
    var output: String

    @Option(help: ArgumentHelp("Control signal as .npy, [dimensions, frames].", valueName: "file.npy"))
    var control: String?

    @Flag(help: "Play the seed's random performance.")
    var random = false

    @Option(help: ArgumentHelp("A JSON score of events.", valueName: "file.json"))
    var score: String?

    @Flag(help: "Play the fitted control signal (the reconstruction).")
    var fitted = false

    @Option(help: "Seed of the attack noise and of --random.")
    var seed: UInt64 = 0

    @Flag(help: "Do not peak-normalise the output.")
    var raw = false

    func validate() throws {
        let chosen = [control != nil, random, score != nil, fitted].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("choose exactly one of --control, --random, --score or --fitted") }
    }

    func run() throws {
        try ErrorReporting.reportingFailure {
            let outputURL = URL(fileURLWithPath: output)
            guard outputURL.standardizedFileURL.path != URL(fileURLWithPath: instrument).standardizedFileURL.path else {
                throw ErrorReporting.FileFault(path: output, error: ErrorReporting.Failure("this is the instrument; choose another output file"))
            }
            let format = try ErrorReporting.blaming(output) { try AudioFormat.forWriting(path: output, encoding: nil) }
            let (model, _) = try ErrorReporting.blaming(instrument) { try InstrumentFile.load(from: URL(fileURLWithPath: instrument)) }
            let (controlSignal, deformations) = try performance(for: model)
            model.noiseGenerator = RandomGenerator(seed: seed)
            let audio = withoutGradients { model.render(control: controlSignal, deformations: deformations) }
            var samples = audio.scalars
            if !raw {
                let peak = samples.reduce(Float(0)) { Swift.max($0, Swift.abs($1)) }
                if peak > 0 { samples = samples.map { $0 / (peak + 1e-8) } }
            }
            let rate = model.configuration.sampleRate
            try ErrorReporting.blaming(output) {
                let writer = try AudioFileWriter(path: output, format: format, sampleRate: rate, channelCount: 1)
                try writer.write(AudioBuffer(interleaved: samples, channelCount: 1, sampleRate: rate))
                try writer.commit()
            }
            print("\(output): \(Formatting.seconds(Double(samples.count) / Double(rate))) s at \(rate) Hz")
        }
    }

    /// The control signal and deformation logits to play; errors name the control or score file.
    func performance(for model: InstrumentModel) throws -> (Tensor, Tensor) {
        if let control {
            return try ErrorReporting.blaming(control) { (try controlSignal(from: control, for: model), model.deformationCurve) }
        }
        if let score {
            return try ErrorReporting.blaming(score) { try PerformanceScore.read(from: URL(fileURLWithPath: score)).resolved(for: model) }
        }
        if random {
            var generator = RandomGenerator(seed: seed)
            return (model.randomControl(generator: &generator), model.restingDeformations)
        }
        return (model.controlSignal, model.deformationCurve)
    }

    /// A `[C, F]` (or `[1, 1, C, F]`) float32 .npy of non-negative values, as the instrument needs.
    func controlSignal(from path: String, for model: InstrumentModel) throws -> Tensor {
        let c = model.configuration
        let tensor: Tensor
        do { tensor = try NPY.read(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InstrumentError.badControlSignal("\(error)")
        }
        let expected = [c.controlPlaneDimension, c.frameCount]
        guard tensor.shape == expected || tensor.shape == [1, 1] + expected else {
            throw InstrumentError.badControlSignal("shape \(tensor.shape); this instrument needs \(expected)")
        }
        let values = tensor.scalars
        guard values.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw InstrumentError.badControlSignal("it holds negative, NaN or infinite values")
        }
        return Tensor(shape: expected, values: values)
    }
}
