import Foundation
import HarpAsura
import HarpAudio
import HarpTensor
import HarpTrain
import Testing

@Suite("Asura training", .serialized)
struct AsuraTrainerTests {
    /// The fixture's loss on its batch with the reference's recorded noise: a fixed yardstick.
    func fixedLoss(_ model: AsuraModel, _ fixture: AsuraFixture) throws -> Float {
        try withoutGradients {
            model.trainingLosses(try fixture.tensor("input"), draws: try fixture.draws()).total.item
        }
    }

    @Test func aFewStepsLowerTheLossOnTheirBatch() throws {
        let fixture = try AsuraFixture()
        var configuration = fixture.configuration
        configuration.warmupSteps = 0
        let model = try fixture.model()
        let trainer = AsuraTrainer(configuration: configuration, model: model, seed: 7)
        let before = try fixedLoss(model, fixture)
        let batch = try fixture.tensor("input")
        for step in 0..<3 {
            let report = trainer.step(batch, step: step)
            #expect(report["loss_all"]!.isFinite && report["grad_norm_main"]!.isFinite)
        }
        let after = try fixedLoss(model, fixture)
        #expect(after < 0.9 * before, "loss \(before) → \(after)")
    }

    @Test func theScheduleWarmsUpFromZeroAsLambdaLRDoes() throws {
        let fixture = try AsuraFixture()
        let model = try fixture.model()
        let trainer = AsuraTrainer(configuration: fixture.configuration, model: model, seed: 1)
        let first = trainer.step(try fixture.tensor("input"), step: 0)
        #expect(first["lr"] == 0)
        #expect(abs(fixture.configuration.learningRateFactor(step: 5) - 0.5) < 1e-6)
    }

    @Test func aRunCheckpointsAndResumesWhereItStopped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("asura-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let audio = folder.appendingPathComponent("audio")
        try FileManager.default.createDirectory(at: audio, withIntermediateDirectories: true)
        for (index, rate) in [0.013, 0.031].enumerated() {
            let path = audio.appendingPathComponent("clip\(index).wav").path
            var samples = [Float]()
            for i in 0..<4000 { samples += [Float(0.4 * sin(Double(i) * rate)), Float(0.3 * sin(Double(i) * rate * 1.7))] }
            let writer = try AudioFileWriter(path: path, format: AudioFormat.forWriting(path: path, encoding: .float32),
                                             sampleRate: 44_100, channelCount: 2)
            try writer.write(AudioBuffer(interleaved: samples, channelCount: 2, sampleRate: 44_100))
            try writer.commit()
        }
        let text = try String(contentsOf: AsuraFixture.directory.appendingPathComponent("asura_tiny.json"), encoding: .utf8)
        let configuration = try AsuraConfiguration(jsonData: Data(text.utf8))
        var options = AsuraTrainingRun.Options(dataPaths: [audio.path], outputFolder: folder.appendingPathComponent("run"),
                                               steps: 2)
        options.checkpointInterval = 1
        var seen: [Int] = []
        let first = AsuraTrainingRun(configuration: configuration, configurationText: text, options: options)
        #expect(try first.run(events: { if case let .step(step, _) = $0 { seen.append(step) } }, isInterrupted: { false })
                == .finished)
        #expect(FileManager.default.fileExists(atPath: first.modelURL.path))
        options.steps = 3
        options.resume = true
        let second = AsuraTrainingRun(configuration: configuration, configurationText: text, options: options)
        _ = try second.run(events: { if case let .step(step, _) = $0 { seen.append(step) } }, isInterrupted: { false })
        #expect(seen == [1, 2, 3])
        let saved = try SafeTensorsFile(contentsOf: second.modelURL)
        #expect(saved.metadata["asura.config"] == text)

        // Another config refuses to resume, naming the difference.
        var changed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        changed["clip_grad"] = 0.5
        let changedText = String(decoding: try JSONSerialization.data(withJSONObject: changed), as: UTF8.self)
        let third = AsuraTrainingRun(configuration: try AsuraConfiguration(jsonData: Data(changedText.utf8)),
                                     configurationText: changedText, options: options)
        #expect(throws: TrainingError.self) { _ = try third.run(events: { _ in }, isInterrupted: { false }) }
    }

    @Test func theSmallConfigurationParses() {
        let small = AsuraConfiguration.small()
        #expect(small.model.frameSamples == 512 && small.model.exampleLengthSamples > 0)
    }
}
