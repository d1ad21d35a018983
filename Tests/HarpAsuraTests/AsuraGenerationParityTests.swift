import Foundation
import HarpAsura
import HarpTensor
import HarpTestSupport
import Testing

/// Generation against the published PyTorch code (fixtures from
/// `tools/asura/reference_sampling.py`): `frames_to_signal`, `encode`, `sample` (offline, steps 1
/// and 2) and play.py's streaming loop over `sample_single_frame` (steps 1 and 2, through its
/// window shift, with a latent change mid-stream), replaying the reference's prior noise.
///
/// Tolerances: float32 on both sides. Synthesis differs by FFTW against pocketfft and summation
/// order, at the scale of the whole signal rather than of each sample: measured worst 2.9·10⁻⁶
/// (signal rms 2.4) and 2.1·10⁻⁶ on a sample of 0.074, held at 2·10⁻⁶ relative + 4·10⁻⁶. The encoder as the training forward: worst 2.4·10⁻⁷ on 1.2, held at 10⁻⁵ relative +
/// 10⁻⁶. A generated stream feeds each frame back as context for the next 12–14 frames, so a
/// difference in one frame reaches the later ones through the decoders: measured worst 1.7·10⁻⁶
/// on a sample of 0.034 and 9.5·10⁻⁶ on 11.8, held at 2·10⁻⁵ relative + 5·10⁻⁶. A wrong decoder,
/// conditioning, context or noise order moves samples by O(0.1–1).
@Suite("Asura generation parity with the published PyTorch code")
struct AsuraGenerationParityTests {
    static let fixtures = Result { () throws -> (AsuraFixture, SafeTensorsFile, AsuraModel) in
        let fixture = try AsuraFixture()
        let file = try SafeTensorsFile(contentsOf: AsuraFixture.directory.appendingPathComponent("asura_tiny_sampling.safetensors"))
        return (fixture, file, try fixture.model())
    }

    @Test func framesToSignalMatches() throws {
        let (_, file, model) = try Self.fixtures.get()
        for k in 0..<2 {
            let actual = model.framing.signal(ofPhaseFrames: try file.tensor(named: "f2s.\(k).input"))
            expectClose(actual, try file.tensor(named: "f2s.\(k).output"), relative: 2e-6, absolute: 4e-6, "f2s.\(k)")
        }
    }

    @Test func streamingSynthesisEqualsOffline() throws {
        let (_, file, model) = try Self.fixtures.get()
        let frames = try file.tensor(named: "f2s.1.input").sliced(alongAxis: 0, start: 0, end: 1)
        let offline = model.framing.signal(ofPhaseFrames: frames).scalars
        var synthesizer = FrameSynthesizer(framing: model.framing, channelCount: 2)
        var streamed = [Float]()
        let size = frames.count / frames.shape[1]
        let values = frames.scalars
        for f in 0..<frames.shape[1] { streamed += synthesizer.push(Array(values[(f * size)..<((f + 1) * size)])) }
        streamed += synthesizer.finish()
        #expect(streamed == offline)
    }

    @Test func encodeMatches() throws {
        let (_, file, model) = try Self.fixtures.get()
        let latents = withoutGradients { model.latents(of: try! file.tensor(named: "encode.input")) }
        expectClose(latents, try file.tensor(named: "encode.output"), relative: 1e-5, absolute: 1e-6, "encode")
    }

    @Test(arguments: ["sample1", "sample2", "stream1", "stream2"])
    func generationMatches(run name: String) throws {
        let (_, file, model) = try Self.fixtures.get()
        let settings = try file.tensor(named: "run.\(name).settings").scalars
        let (steps, eps, frames) = (Int(settings[0]), settings[1], Int(settings[2]))
        let prefix = "run.\(name).draw."
        let draws = RecordedDraws(try file.names.filter { $0.hasPrefix(prefix) }.sorted().map { ("prior", try file.tensor(named: $0)) })
        let options = AsuraSamplingOptions(steps: steps, contextNoise: eps, decoding: settings[3] == 1 ? .jumps : .velocity)
        let generator = AsuraGenerator(model: model, options: options, draws: draws)
        let latents = try file.tensor(named: "run.\(name).latent")
        let width = model.config.tokenWidth
        let audio = generator.render(frameCount: frames) { i in Array(latents.scalars[(i * width)..<((i + 1) * width)]) }
        let expected = try file.tensor(named: "run.\(name).output")
        #expect(draws.remaining.count <= 4, "\(draws.remaining.count) recorded draws left over")
        expectClose(Tensor(shape: expected.shape, values: Array(audio.prefix(expected.count))), expected,
                    relative: 2e-5, absolute: 5e-6, name)
        #expect(audio.count == expected.count)
    }
}
