import ArgumentParser
import Foundation
import HarpAsura
import HarpTensor

/// `harp asura render MODEL MAP --knobs FILE.json -o OUT.wav`.
struct AsuraRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render an automation curve of knob values to audio, offline.",
        discussion: """
            FILE.json: {"points": [{"time": 0, "knobs": [0, 0, …]}, {"time": 4, "knobs": [1, -0.5, …]}], \
            "duration": 8} — one value per knob of MAP, each in [-1, 1] (values outside are clamped, \
            with one note), linear between points. The generator streams as the live player will: \
            one frame hop at a time, the knobs read at each hop, the past never recomputed. \
            --decoding jumps uses the u decoders (play.py), velocity the v decoders (sample.py); with \
            one step both use the one-step decoders. The file appears whole when done.
            """)

    @Argument(help: "The model (model.safetensors from harp train asura).")
    var model: String

    @Argument(help: "The control map (from harp asura control-map).")
    var map: String

    @Option(help: ArgumentHelp("The knob automation (.json).", valueName: "file"))
    var knobs: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The audio to write (.wav or .flac).", valueName: "file"))
    var output: String

    @Option(help: "Flow steps per frame.")
    var steps = 1

    @Option(name: .customLong("context-noise"), help: "eps_ctx: noise mixed into generated frames used as context (default: the model's sample_eps_ctx).")
    var contextNoise: Float?

    @Option(help: "jumps or velocity.")
    var decoding = "jumps"

    @Option(help: "Seed of the prior noise.")
    var seed: UInt64 = 0

    func run() throws {
        InterruptFlag.install()
        try ErrorReporting.reportingFailure(subject: model) {
            guard (1...64).contains(steps) else { throw ErrorReporting.Failure("--steps must be in 1...64 (got \(steps))") }
            guard let mode = AsuraSamplingOptions.Decoding(rawValue: decoding) else {
                throw ErrorReporting.Failure("--decoding must be jumps or velocity (got \(decoding))")
            }
            let asura = try AsuraCommand.loadModel(model)
            let controlMap = try ErrorReporting.blaming(map) {
                let loaded = try AsuraControlMap.load(contentsOf: URL(fileURLWithPath: map))
                try loaded.check(against: asura)
                return loaded
            }
            let automation = try ErrorReporting.blaming(knobs) {
                try AsuraKnobAutomation(jsonData: try Data(contentsOf: URL(fileURLWithPath: knobs)), knobCount: controlMap.settings.knobCount)
            }
            if let first = automation.firstClamped {
                FileHandle.standardError.write(Data("note: \(automation.clampedCount) knob value(s) outside [-1, 1] clamped (first: \(first))\n".utf8))
            }
            let eps = contextNoise ?? asura.config.sampleContextNoise
            guard (0...1).contains(eps) else { throw ErrorReporting.Failure("--context-noise must be in 0...1 (got \(eps))") }
            let options = AsuraSamplingOptions(steps: steps, contextNoise: eps, decoding: mode)
            let generator = AsuraGenerator(model: asura, options: options,
                                           draws: RandomDraws(generator: RandomGenerator(seed: seed), prior: asura.config.prior))
            try render(automation, controlMap, generator)
        }
    }

    func render(_ automation: AsuraKnobAutomation, _ map: AsuraControlMap, _ generator: AsuraGenerator) throws {
        let channels = generator.channelCount
        let start = Date()
        var (sumSquares, peak, count, nonFinite) = (0.0, Float(0), 0, 0)
        let total = Int((automation.durationSeconds * Double(AsuraGenerator.sampleRate)).rounded(.up))
        var bar = ProgressBar(total: max(1, total), label: "render")
        try CodecSupport.writeAudio(sampleRate: AsuraGenerator.sampleRate, channelCount: channels, to: output) { write in
            try generator.render(automation, through: map, isCancelled: { InterruptFlag.isRaised }) { block in
                for v in block {
                    if v.isFinite { sumSquares += Double(v * v); peak = max(peak, abs(v)) } else { nonFinite += 1 }
                }
                count += block.count / channels
                // [samples, channels] → [channels, samples]
                let planar = Tensor(shape: [block.count / channels, channels], values: block).permuted([1, 0])
                try write(planar)
                bar.update(completed: min(count, total))
            }
        }
        bar.finish()
        guard nonFinite == 0 else { throw ErrorReporting.Failure("the model generated \(nonFinite) non-finite samples (written as they are)") }
        let rms = (sumSquares / Double(max(1, count * channels))).squareRoot()
        let seconds = Double(count) / Double(AsuraGenerator.sampleRate)
        print("\(output): \(channels) ch, 44100 Hz, \(Formatting.seconds(seconds)) s, rms \(String(format: "%.4f", rms)), "
              + "peak \(String(format: "%.3f", peak)) (\(Formatting.seconds(Date().timeIntervalSince(start))) s)")
    }
}
