import Foundation
import HarpAsura
import HarpTensor
import HarpTestSupport
import Testing

@Suite("Asura control map and knob automation")
struct AsuraControlMapTests {
    /// Latents from two clusters, 8 wide.
    static func latents(count: Int = 64) -> Tensor {
        var rng = RandomGenerator(seed: 4)
        let noise = Tensor.normal([count, 8], standardDeviation: 0.1, generator: &rng).scalars
        return Tensor(shape: [count, 8], values: (0..<(count * 8)).map { i in noise[i] + ((i / 8) % 2 == 0 ? 1 : -1) })
    }

    static func trainer(steps: Int) -> AsuraControlMapTrainer {
        var options = AsuraControlMapTrainer.Options()
        options.steps = steps
        options.batchSize = 32
        options.warmupSteps = 5
        options.learningRate = 3e-3
        options.timeEncodingWidth = 16
        let settings = AsuraControlMap.Settings(latentWidth: 8, hiddenWidth: 32, knobCount: 3, modelFingerprint: "abc")
        return AsuraControlMapTrainer(latents: latents(), settings: settings, options: options)
    }

    @Test func trainingLowersTheLoss() {
        let trainer = Self.trainer(steps: 40)
        let before = trainer.evaluationLoss()
        let losses = (0..<40).map { trainer.step($0) }
        let after = trainer.evaluationLoss()
        #expect(losses.allSatisfy { $0.isFinite })
        #expect(after < before * 0.8, "fixed-batch loss \(before) → \(after)")
    }

    @Test func anUntrainedMapIsTheKnobPoint() {
        // The one-step network starts at zero (as the reference's zero_out), so the latent is p.
        let map = Self.trainer(steps: 1).trainedMap()
        let p = map.noisePoint(knobs: [1, 0, -0.5]).scalars
        expectClose(map.latent(knobs: [1, 0, -0.5]), p, relative: 0, absolute: 0, "latent")
        let axes = map.controlAxes.scalars
        for k in 0..<3 {
            let norm = (0..<8).map { axes[k * 8 + $0] * axes[k * 8 + $0] }.reduce(0, +)
            #expect(abs(norm - 1) < 1e-5)
        }
    }

    @Test func aSavedMapLoadsTheSameAndRefusesAnotherModel() throws {
        let trainer = Self.trainer(steps: 20)
        for step in 0..<20 { _ = trainer.step(step) }
        let map = trainer.trainedMap()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("asura-map-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try map.save(to: url)
        let loaded = try AsuraControlMap.load(contentsOf: url)
        #expect(loaded.settings == map.settings)
        #expect(loaded.latent(knobs: [0.3, -0.2, 0.9]) == map.latent(knobs: [0.3, -0.2, 0.9]))

        let model = try AsuraFixture().model()  // d_token 8, another fingerprint than "abc"
        #expect(throws: AsuraControlMapError.otherModel(map: "abc", model: model.fingerprint)) { try loaded.check(against: model) }
        var rng = RandomGenerator(seed: 11)
        let wide = AsuraControlMap(AsuraControlMap.Settings(latentWidth: 16, modelFingerprint: ""), generator: &rng)
        #expect(throws: AsuraControlMapError.wrongWidth(map: 16, model: 8)) { try wide.check(against: model) }
    }

    @Test func automationInterpolatesHoldsAndClampsOnce() throws {
        let json = #"{"points": [{"time": 0, "knobs": [0, 2]}, {"time": 2, "knobs": [1, -3]}], "duration": 3}"#
        let automation = try AsuraKnobAutomation(jsonData: Data(json.utf8), knobCount: 2)
        #expect(automation.clampedCount == 2)
        #expect(automation.firstClamped == "point 0 knob 1 = 2.0")
        #expect(automation.knobs(at: 1) == [0.5, 0])
        #expect(automation.knobs(at: 2.5) == [1, -1])
        #expect(automation.durationSeconds == 3)
    }

    @Test func badAutomationIsOneLine() {
        let cases: [(String, String)] = [
            (#"{"points": []}"#, "knob file: no points"),
            (#"{"points": [{"time": 0, "knobs": [0]}]}"#, "knob file: point 0 has 1 knob values, the map has 2 knobs"),
            (#"{"points": [{"time": 1, "knobs": [0, 0]}, {"time": 0.5, "knobs": [0, 0]}]}"#,
             "knob file: point 1: time 0.5 is not finite, negative or before the previous point's"),
            (#"{"points": [{"time": 0, "knobs": [0, 0]}]}"#, "knob file: the duration is 0.0 s; give \"duration\" > 0"),
        ]
        for (json, message) in cases {
            do {
                _ = try AsuraKnobAutomation(jsonData: Data(json.utf8), knobCount: 2)
                Issue.record("accepted \(json)")
            } catch {
                #expect("\(error)" == message)
            }
        }
    }
}
