import ArgumentParser
import Foundation
import HarpAsura
import HarpTensor

/// `harp asura control-map embeddings.npy -o map.safetensors [--knobs N]`.
struct AsuraControlMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "control-map",
        abstract: "Train a control map (a few knobs → latents) on cached latents.",
        discussion: """
            The map is the reference's bidirectional amortised flow (train_control_map.py) from \
            normal noise to the latents; the knobs, each in [-1, 1], pick a point of the noise along \
            N fixed random unit directions and the map's one-step jump carries it to a latent \
            (play.py). The model the latents came from is read from EMBEDDINGS.model (written by \
            harp asura encode) or checked against --model; a map is refused later by a model it was \
            not made for. Ctrl-C stops early and writes the map trained so far.
            """)

    @Argument(help: "Latents from harp asura encode (.npy, [count, d_token]).")
    var embeddings: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the map (.safetensors).", valueName: "file"))
    var output: String

    @Option(help: "Knobs.")
    var knobs = 8

    @Option(help: "Training steps.")
    var steps = 3000

    @Option(help: "Hidden width of the map's networks (the reference uses 2048 on GPUs).")
    var width = 256

    @Option(help: ArgumentHelp("The model the latents belong to (checks their width).", valueName: "model"))
    var model: String?

    @Option(help: "Seed of the initial weights, the knob directions and the noise.")
    var seed: UInt64 = 42

    func run() throws {
        InterruptFlag.install()
        try ErrorReporting.reportingFailure(subject: embeddings) {
            guard (1...64).contains(knobs) else { throw ErrorReporting.Failure("--knobs must be in 1...64 (got \(knobs))") }
            guard steps >= 1, (8...4096).contains(width) else { throw ErrorReporting.Failure("--steps must be ≥ 1 and --width in 8...4096") }
            let latents = try ErrorReporting.blaming(embeddings) { try NPY.read(contentsOf: URL(fileURLWithPath: embeddings)) }
            guard latents.rank == 2, latents.shape[0] >= 2 else {
                throw ErrorReporting.Failure("\(embeddings): expected latents [count ≥ 2, d_token], got \(latents.shape)")
            }
            guard latents.scalars.allSatisfy(\.isFinite) else { throw ErrorReporting.Failure("\(embeddings): latents that are not finite") }
            let fingerprint = try modelFingerprint(width: latents.shape[1])
            var options = AsuraControlMapTrainer.Options()
            options.steps = steps
            options.seed = seed
            let settings = AsuraControlMap.Settings(latentWidth: latents.shape[1], hiddenWidth: width, knobCount: knobs,
                                                    modelFingerprint: fingerprint)
            let trainer = AsuraControlMapTrainer(latents: latents, settings: settings, options: options)
            var bar = ProgressBar(total: steps, label: "control map")
            var done = 0
            for step in 0..<steps where !InterruptFlag.isRaised {
                let loss = trainer.step(step)
                guard loss.isFinite else { throw ErrorReporting.Failure("the loss became \(loss) at step \(step + 1); nothing written") }
                done = step + 1
                bar.update(completed: done, figures: ["loss": Double(loss)])
            }
            bar.finish()
            try trainer.trainedMap().save(to: URL(fileURLWithPath: output))
            let stopped = done < steps ? " (interrupted at step \(done))" : ""
            print("\(output): \(knobs) knobs over \(latents.shape[1])-wide latents of \(latents.shape[0]) examples, \(done) steps\(stopped)")
        }
    }

    /// The fingerprint of the latents' model: from --model (whose width must match) or the
    /// EMBEDDINGS.model file beside them; empty when neither says.
    func modelFingerprint(width: Int) throws -> String {
        let recorded = (try? String(contentsOfFile: embeddings + ".model", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let model else { return recorded ?? "" }
        let asura = try AsuraCommand.loadModel(model)
        guard asura.config.tokenWidth == width else {
            throw ErrorReporting.Failure("\(embeddings): latents are \(width) wide, \(model)'s are \(asura.config.tokenWidth): wrong width for this model")
        }
        if let recorded, recorded != asura.fingerprint {
            throw ErrorReporting.Failure("\(embeddings) were encoded by model \(recorded), not \(model) (\(asura.fingerprint))")
        }
        return asura.fingerprint
    }
}
