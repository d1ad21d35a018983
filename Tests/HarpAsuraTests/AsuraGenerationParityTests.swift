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
/// Tolerances: float32 on both sides; synthesis differs by FFTW against pocketfft and summation
/// order (measured ≤ 2·10⁻⁶ of the signal's scale), the encoder as the training forward does. A
/// generated stream feeds each frame back as context for the next 12–14, so differences of 10⁻⁶ in
/// one frame reach later ones amplified by the decoders; measured, the audio agrees within
/// 10⁻⁴ relative + 10⁻⁵ absolute.
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
            expectClose(actual, try file.tensor(named: "f2s.\(k).output"), relative: 1e-5, absolute: 1e-5, "f2s.\(k)")
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
        expectClose(latents, try file.tensor(named: "encode.output"), relative: 1e-4, absolute: 1e-5, "encode")
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
                    relative: 1e-4, absolute: 1e-5, name)
        #expect(audio.count == expected.count)
    }
}
