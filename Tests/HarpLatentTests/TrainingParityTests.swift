import Foundation
import HarpNN
import HarpTensor
import Testing
@testable import HarpLatent

/// The consistency-training step against PyTorch: `tools/latent/make_training_fixture.py` ran one
/// step of the paper's training (on the music2latent package's own modules, tiny random weights,
/// every parameter non-zero) and stored the loss, both branches and every parameter's gradient.
@Suite struct TrainingParityTests {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/training")

    /// A trainer holding the fixture's weights and the fixture's step inputs.
    static func trainerAndStep() throws -> (LatentTrainer, SafeTensorsFile) {
        let data = try Data(contentsOf: folder.appendingPathComponent("config.json"))
        let model = try JSONDecoder().decode(LatentConfiguration.self, from: data)
        let trainer = try LatentTrainer(configuration: LatentTrainingConfiguration(model: model))
        try trainer.network.load(stateDict: SafeTensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors")).tensors())
        return (trainer, try SafeTensorsFile(contentsOf: folder.appendingPathComponent("step.safetensors")))
    }

    @Test func consistencyLossAndEveryGradientMatchPyTorch() throws {
        let (trainer, step) = try Self.trainerAndStep()
        let clean = try step.tensor(named: "clean"), noise = try step.tensor(named: "noise")
        let uniform = try step.tensor(named: "uniform").scalars, delta = try step.tensor(named: "time_step").scalars[0]
        trainer.optimizer.zeroGradients()
        let loss = trainer.consistencyLoss(clean: clean, noise: noise, times: uniform, timeStep: delta)
        let reference = try step.tensor(named: "loss").scalars[0]
        #expect(abs(loss.item - reference) <= 1e-4 * abs(reference), "loss \(loss.item) vs \(reference)")
        loss.backward()
        var checked = 0
        for (name, parameter) in trainer.network.namedParameters() {
            let expected = try step.tensor(named: "grad." + name)
            let actual = parameter.grad ?? Tensor.zeros(parameter.shape)
            let scale = expected.scalars.map { abs($0) }.max() ?? 0
            let worst = zip(actual.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
            // fp32 against fp32 with other summation orders through ~40 layers: 1e-3 of the
            // tensor's largest gradient (1e-6 absolute for the two unused, all-zero ones).
            #expect(actual.shape == expected.shape && worst <= 1e-3 * scale + 1e-6, "\(name): max error \(worst), max |grad| \(scale)")
            checked += 1
        }
        #expect(checked == 335)
    }

    @Test func bothBranchesMatchPyTorch() throws {
        let (trainer, step) = try Self.trainerAndStep()
        let clean = try step.tensor(named: "clean"), noise = try step.tensor(named: "noise")
        let uniform = try step.tensor(named: "uniform").scalars, delta = try step.tensor(named: "time_step").scalars[0]
        let upper = uniform.map { $0 * (1 - delta) + delta }
        let c = trainer.configuration.model
        let pyramid = withoutGradients { trainer.network.decoder(trainer.network.encoder(clean)) }
        for (name, times) in [("student", upper), ("teacher", upper.map { max($0 - delta, 0) })] {
            let sigmas = times.map { NoiseSchedule.sigma(continuous: $0, configuration: c) }
            let noisy = clean + Tensor(shape: [2, 1, 1, 1], values: sigmas) * noise
            let output = withoutGradients { trainer.network(noisy, sigmas: sigmas, pyramid: pyramid) }
            expectParity(output, try step.tensor(named: name), name)
        }
    }

    /// The per-item-σ forward that training uses is the inference forward, item by item.
    @Test func perItemNoiseLevelsEqualSeparateInferencePasses() throws {
        let (trainer, step) = try Self.trainerAndStep()
        let clean = try step.tensor(named: "clean")
        let sigmas: [Float] = [0.05, 12]
        let batched = withoutGradients {
            trainer.network(clean, sigmas: sigmas, pyramid: trainer.network.decoder(trainer.network.encoder(clean)))
        }
        for item in 0..<2 {
            let one = clean.sliced(alongAxis: 0, start: item, end: item + 1)
            let alone = withoutGradients {
                trainer.network(one, sigma: sigmas[item], pyramid: trainer.network.decoder(trainer.network.encoder(one)))
            }
            expectParity(batched.sliced(alongAxis: 0, start: item, end: item + 1), alone, "item \(item)")
        }
    }

    @Test func scheduleEndpointsAreThePapers() throws {
        let c = LatentConfiguration()
        #expect(abs(NoiseSchedule.sigma(continuous: 0, configuration: c) - 0.002) < 1e-6)
        #expect(abs(NoiseSchedule.sigma(continuous: 1, configuration: c) - 80) < 1e-3)
        var configuration = LatentTrainingConfiguration(model: TinyLatentModel.configuration)
        configuration.totalSteps = 1000
        let trainer = try LatentTrainer(configuration: configuration)
        #expect(abs(trainer.timeStep(at: 0) - 0.1) < 1e-7)
        #expect(abs(trainer.timeStep(at: 500) - 0.01) < 1e-7)
        #expect(abs(trainer.timeStep(at: 1000) - 0.001) < 1e-8)
    }

    /// The reference's `init_as_zero`: an untrained model returns `c_skip·x` exactly.
    @Test func untrainedModelIsTheSkipConnection() throws {
        let trainer = try LatentTrainer(configuration: LatentTrainingConfiguration(model: TinyLatentModel.configuration))
        var generator = RandomGenerator(seed: 5)
        let x = Tensor.normal([1, 2, 64, 8], generator: &generator)
        let sigma: Float = 3
        let output = withoutGradients { trainer.network(x, sigma: sigma, pyramid: trainer.network.decoder(trainer.network.encoder(x))) }
        let skip = ConsistencyCoefficients(sigma: sigma, configuration: trainer.configuration.model).skip
        expectParity(output, x * skip, "c_skip·x")
    }
}
