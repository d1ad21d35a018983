import Foundation
@testable import HarpCodec
import HarpTensor
import HarpTrain
import Testing

/// The trainable codec: it exports a folder that the inference loader runs identically, a few
/// steps lower its losses, and a checkpoint resumes the run bit for bit.
@Suite struct CodecTrainerTests {
    /// A tiny 24 kHz configuration: hop 8·… = 40 samples, 4 filters, 2 and 4 codebooks of 16.
    static func tinyConfiguration() -> CodecTrainingConfiguration {
        var model = EncodecConfiguration()
        model.numFilters = 4
        model.hiddenSize = 8
        model.upsamplingRatios = [5, 4, 2]
        model.codebookSize = 16
        model.numLSTMLayers = 1
        // 600 Hz frames · 4 bits: 2.4 kbit/s per codebook.
        model.targetBandwidths = [4.8, 9.6]
        var configuration = CodecTrainingConfiguration(model: model)
        configuration.batchSize = 2
        configuration.cropSeconds = 0.1
        configuration.discriminatorFilters = 4
        configuration.discriminatorFFTSizes = [256, 512]
        configuration.adversarialFromStep = 2
        configuration.learningRate = 3e-3
        return configuration
    }

    static func batch(_ configuration: CodecTrainingConfiguration, seed: UInt64) -> Tensor {
        let n = configuration.cropSampleCountForTests
        var values: [Float] = []
        for item in 0..<configuration.batchSize {
            let frequency = Float(220 * (item + 1)) * (1 + Float(seed % 5) / 10)
            values += (0..<n).map { 0.5 * sin(2 * .pi * frequency * Float($0) / 24000) }
        }
        return Tensor(shape: [configuration.batchSize, 1, n], values: values)
    }

    @Test func exportedFolderDecodesLikeTheTrainableModel() throws {
        let trainer = try CodecTrainer(configuration: Self.tinyConfiguration())
        _ = trainer.step(0, batch: Self.batch(trainer.configuration, seed: 0))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("harp-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try trainer.export(to: folder)
        let loaded = try CodecLoader.load(folder: folder)
        let clip = Self.batch(trainer.configuration, seed: 3).sliced(alongAxis: 0, end: 1).reshaped([1, 2400])
        for (bandwidth, stages) in zip([4.8, 9.6], trainer.model.stageCounts) {
            let encoded = try loaded.encode(clip, bandwidth: bandwidth)
            #expect(encoded.codes.shape[1] == stages)
            let decoded = try loaded.decode(encoded)
            trainer.average.swap()
            let expected = trainer.reconstruct(clip, stageCount: stages)
            trainer.average.swap()
            let difference: Float = (decoded - expected).abs().max().item
            #expect(difference < 1e-4, "bandwidth \(bandwidth): max |Δ| \(difference)")
        }
    }

    /// transformers refuses `target_bandwidths` written as integers, so whole numbers keep `.0`.
    @Test func exportedConfigurationWritesFloatsAsFloats() throws {
        let json = String(decoding: try TrainableEncodec.configurationJSON(CodecTrainingConfiguration.small().model), as: UTF8.self)
        let compact = json.filter { !$0.isWhitespace }
        #expect(compact.contains("\"target_bandwidths\":[1.5,3.0,6.0]"), "\(compact)")
        #expect(compact.contains("\"trim_right_ratio\":1.0"), "\(compact)")
        #expect(compact.contains("\"model_type\":\"encodec\""))
    }

    @Test func fewStepsLowerTheReconstructionLoss() throws {
        var configuration = Self.tinyConfiguration()
        configuration.adversarialFromStep = nil
        let trainer = try CodecTrainer(configuration: configuration)
        let batch = Self.batch(configuration, seed: 1)
        var mel: [Float] = []
        for step in 0..<12 { mel.append(trainer.step(step, batch: batch).losses["mel"]!) }
        #expect(mel.allSatisfy { $0.isFinite })
        let firstThree: Float = mel.prefix(3).reduce(0, +)
        let lastThree: Float = mel.suffix(3).reduce(0, +)
        #expect(lastThree < 0.9 * firstThree, "mel \(mel)")
    }

    @Test func adversarialStepsReportEveryTerm() throws {
        let trainer = try CodecTrainer(configuration: Self.tinyConfiguration())
        let batch = Self.batch(trainer.configuration, seed: 2)
        let early = trainer.step(0, batch: batch).losses
        #expect(early["discriminator"] == nil)
        let late = trainer.step(2, batch: batch).losses
        for term in ["mel", "waveform", "commitment", "discriminator", "adversarial", "feature matching", "total"] {
            #expect(late[term]?.isFinite == true, "\(term) missing or not finite: \(late)")
        }
    }

    @Test func checkpointResumesBitForBit() throws {
        let configuration = Self.tinyConfiguration()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("harp-codec-ckpt-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let straight = try CodecTrainer(configuration: configuration)
        var expected: [Float] = []
        for step in 0..<4 { expected.append(straight.step(step, batch: Self.batch(configuration, seed: UInt64(step))).losses["total"]!) }

        let first = try CodecTrainer(configuration: configuration)
        let state = try TrainingState(kind: "codec", configuration: configuration)
        first.register(in: state)
        for step in 0..<2 { _ = first.step(step, batch: Self.batch(configuration, seed: UInt64(step))) }
        state.step = 2
        state.generators["codebooks"] = first.codebookGenerator
        try state.save(to: url)

        let second = try CodecTrainer(configuration: configuration)
        let restored = try TrainingState(kind: "codec", configuration: configuration)
        second.register(in: restored)
        try restored.restore(from: url)
        second.codebookGenerator = restored.generators["codebooks"]!
        var resumed: [Float] = []
        for step in restored.step..<4 { resumed.append(second.step(step, batch: Self.batch(configuration, seed: UInt64(step))).losses["total"]!) }
        #expect(resumed == Array(expected.suffix(2)))
    }
}

extension CodecTrainingConfiguration {
    var cropSampleCountForTests: Int { Int((cropSeconds * Double(model.samplingRate)).rounded()) }
}
