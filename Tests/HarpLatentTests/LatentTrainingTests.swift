import Foundation
import HarpAudio
import HarpTensor
import HarpTrain
import Testing
@testable import HarpLatent

/// Training behaviour on the tiny model: steps lower the loss, a run checkpoints, exports a
/// folder `ConsistencyAutoencoder(folder:)` loads and resumes exactly where it stopped.
@Suite struct LatentTrainingTests {
    static func configuration(steps: Int) -> LatentTrainingConfiguration {
        var configuration = LatentTrainingConfiguration(model: TinyLatentModel.configuration)
        configuration.frames = 16
        configuration.batchSize = 2
        configuration.totalSteps = steps
        configuration.learningRate = 1e-3
        configuration.warmupSteps = 0
        return configuration
    }

    /// With `t = 0` the teacher is the clean spectrogram itself, a fixed target, so descending the
    /// loss must lower it (at `t > 0` the teacher moves with the weights).
    @Test func stepsTowardsTheCleanTargetLowerTheLoss() throws {
        let trainer = try LatentTrainer(configuration: Self.configuration(steps: 1000))
        let crop = trainer.configuration.cropSampleCount
        let clean = trainer.autoencoder.representation.spectrogram(TinyLatentModel.audio(channels: 2, samples: crop))
        var generator = RandomGenerator(seed: 3)
        let noise = Tensor.normal(clean.shape, generator: &generator)
        var losses: [Float] = []
        for _ in 0..<15 {
            trainer.optimizer.zeroGradients()
            let loss = trainer.consistencyLoss(clean: clean, noise: noise, times: [0, 0], timeStep: 0.9)
            loss.backward()
            trainer.optimizer.step()
            losses.append(loss.item)
        }
        #expect(losses.allSatisfy { $0.isFinite })
        // Zero-initialised outputs start slowly: every step lower, 2 % in all by step 15.
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $1 < $0 }, "\(losses)")
        #expect(losses.last! < 0.98 * losses.first!, "\(losses)")
    }

    @Test func aRunExportsAModelAndResumesExactly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("latent-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let audio = folder.appendingPathComponent("audio")
        try FileManager.default.createDirectory(at: audio, withIntermediateDirectories: true)
        for (index, rate) in [0.013, 0.031, 0.07].enumerated() {
            let path = audio.appendingPathComponent("clip\(index).wav").path
            let samples = (0..<8000).map { Float(0.4 * sin(Double($0) * rate)) }
            let writer = try AudioFileWriter(path: path, format: AudioFormat.forWriting(path: path, encoding: .float32),
                                             sampleRate: 44_100, channelCount: 1)
            try writer.write(AudioBuffer(interleaved: samples, channelCount: 1, sampleRate: 44_100))
            try writer.commit()
        }
        func run(_ name: String, resume: Bool = false, stopAfter: Int? = nil) throws -> LatentTrainingRun {
            var options = LatentTrainingRun.Options(dataPaths: [audio.path], outputFolder: folder.appendingPathComponent(name))
            options.resume = resume
            options.checkpointInterval = 1
            options.reportInterval = 2
            options.cacheFolder = folder.appendingPathComponent("cache")
            let done = StepCounter()
            let run = LatentTrainingRun(configuration: Self.configuration(steps: 4), options: options, events: {
                if case .step = $0 { done.count += 1 }
            }, isInterrupted: { stopAfter.map { done.count >= $0 } ?? false })
            try run.run()
            return run
        }
        let whole = try run("whole")
        _ = try run("split", stopAfter: 2)
        let split = try run("split", resume: true)
        let a = try SafeTensorsFile(contentsOf: whole.modelFolder.appendingPathComponent("model.safetensors")).tensors()
        let b = try SafeTensorsFile(contentsOf: split.modelFolder.appendingPathComponent("model.safetensors")).tensors()
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a.allSatisfy { $0.value.scalars == b[$0.key]?.scalars }, "a resumed run differs from an uninterrupted one")
        let state = try SafeTensorsFile(contentsOf: split.checkpointURL).tensors()
        #expect(state["history.consistency"]?.count == 4)
        #expect(FileManager.default.fileExists(atPath: whole.reportFolder.appendingPathComponent("index.html").path))

        // The export is a model folder: it loads and encodes with the exported weights.
        let model = try ConsistencyAutoencoder(folder: whole.modelFolder)
        #expect(model.configuration == TinyLatentModel.configuration)
        let latents = try model.encode(TinyLatentModel.audio(channels: 1, samples: 4000))
        #expect(latents.shape[1] == TinyLatentModel.configuration.bottleneckChannels)

        // A run in the same folder without --resume is refused.
        #expect(throws: LatentTrainingError.self) { _ = try run("whole") }
    }

    @Test func aConfigFileOverridesSomeKeysAndRefusesUnknownOnes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("latent-config-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"batch_size": 3, "model": {"base_channels": 8}}"#.utf8).write(to: folder)
        let read = try LatentTrainingConfiguration(contentsOf: folder, base: .small())
        var expected = LatentTrainingConfiguration.small()
        expected.batchSize = 3
        expected.model.baseChannels = 8
        #expect(read == expected)
        try Data(#"{"batch": 3}"#.utf8).write(to: folder)
        #expect(throws: LatentError.self) { _ = try LatentTrainingConfiguration(contentsOf: folder, base: .small()) }
    }
}

/// Steps seen by a run's events, read by its interruption check (same thread).
private final class StepCounter: @unchecked Sendable {
    var count = 0
}
