import Foundation
import HarpNN
import HarpOptim
import HarpTensor
import Testing
@testable import HarpTrain

/// A tiny regression run with everything a real one checkpoints: a model, two optimisers (as a
/// generator and a discriminator would have), an EMA and a noise generator.
final class TinyRun {
    struct Settings: Codable { var learningRate: Double; var seed: UInt64 }

    let model: Linear
    let critic: Linear
    let optimizer: AdamW
    let criticOptimizer: Adam
    let average: ExponentialMovingAverage
    let state: TrainingState
    var noise: RandomGenerator

    init(settings: Settings = Settings(learningRate: 1e-2, seed: 1)) throws {
        var generator = RandomGenerator(seed: settings.seed)
        model = Linear(inputCount: 4, outputCount: 2, generator: &generator)
        critic = Linear(inputCount: 2, outputCount: 1, generator: &generator)
        optimizer = AdamW(parameters: model.parameters(), learningRate: settings.learningRate)
        criticOptimizer = Adam(parameters: critic.parameters(), learningRate: settings.learningRate)
        average = ExponentialMovingAverage(module: model, decay: 0.9)
        noise = RandomGenerator(seed: 77)
        state = try TrainingState(kind: "tiny", configuration: settings)
        state.register(model, named: "model")
        state.register(critic, named: "critic")
        state.register(optimizer, named: "model")
        state.register(criticOptimizer, named: "critic")
        state.register(average, named: "model")
    }

    /// One step on a batch drawn from the noise generator (so resuming must restore its position).
    func step(_ step: Int) -> StepResult {
        let x = Tensor.normal([8, 4], generator: &noise)
        let target = Tensor.normal([8, 2], generator: &noise)
        let loss = Losses.meanSquaredError(model(x), target)
        optimizer.zeroGradients()
        loss.backward()
        optimizer.step()
        average.update()
        let criticLoss = critic(withoutGradients { model(x) }).square().mean()
        criticOptimizer.zeroGradients()
        criticLoss.backward()
        criticOptimizer.step()
        let result = StepResult(losses: ["regression": loss.item, "critic": criticLoss.item])
        state.record(result)
        return result
    }

    func save(to url: URL) throws {
        state.generators["noise"] = noise
        try state.save(to: url)
    }

    func restore(from url: URL) throws {
        try state.restore(from: url)
        noise = try #require(state.generators["noise"])
    }

    /// Every number the run holds.
    var fingerprint: [Float] {
        (model.parameters() + critic.parameters() + average.averages.map(\.tensor)).flatMap(\.scalars)
            + optimizer.stateDict().sorted { $0.key < $1.key }.flatMap(\.value.scalars)
            + criticOptimizer.stateDict().sorted { $0.key < $1.key }.flatMap(\.value.scalars)
    }
}

/// Checkpoints resume exactly; the loop stops cleanly on interruption and keeps the last good
/// checkpoint when a loss turns NaN; resuming with other settings names each difference.
struct TrainingStateTests {
    static func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("harp-train-\(UUID().uuidString).safetensors")
    }

    @Test func aResumedRunEqualsAnUninterruptedOneBitForBit() throws {
        let straight = try TinyRun()
        try TrainingLoop(totalSteps: 10, callbacks: []).run(from: 0) { straight.step($0) }

        let url = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let first = try TinyRun()
        let checkpoints = PeriodicCallback(every: 2) { step in first.state.step = step; try first.save(to: url) }
        var stopAfter = 5
        let reason = try TrainingLoop(totalSteps: 10, callbacks: [checkpoints],
                                      isInterrupted: { stopAfter -= 1; return stopAfter < 0 }).run(from: 0) { first.step($0) }
        #expect(reason == .interrupted)

        let resumed = try TinyRun()
        try resumed.restore(from: url)
        #expect(resumed.state.step == 5)
        #expect(resumed.state.history["regression"]?.count == 5)
        try TrainingLoop(totalSteps: 10, callbacks: []).run(from: resumed.state.step) { resumed.step($0) }
        #expect(resumed.fingerprint == straight.fingerprint)
        #expect(resumed.state.history["critic"] == straight.state.history["critic"])
    }

    @Test func aNaNLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws {
        let url = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try TinyRun()
        let checkpoints = PeriodicCallback(every: 2) { step in run.state.step = step; try run.save(to: url) }
        #expect(throws: TrainingError.nonFiniteLoss(step: 6, term: "regression", value: .infinity)) {
            try TrainingLoop(totalSteps: 10, callbacks: [checkpoints]).run(from: 0) { step in
                step == 5 ? StepResult(losses: ["regression": .infinity]) : run.step(step)
            }
        }
        let restored = try TinyRun()
        try restored.restore(from: url)
        #expect(restored.state.step == 4)
    }

    @Test func resumingWithOtherSettingsNamesEachDifference() throws {
        let url = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        try TinyRun().save(to: url)
        let other = try TinyRun(settings: .init(learningRate: 1e-3, seed: 2))
        let error = try #require(throws: TrainingError.self) { try other.restore(from: url) }
        guard case let .configurationMismatch(differences) = error else { Issue.record("\(error)"); return }
        #expect(differences.count == 2)
        #expect(differences.contains("learningRate is 0.001 but the checkpoint was made with 0.01"))
        #expect(differences.contains("seed is 2 but the checkpoint was made with 1"))
    }

    @Test func aCheckpointOfAnotherKindOrNoneAtAllIsRefused() throws {
        let url = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        try TinyRun().save(to: url)
        let state = try TrainingState(kind: "codec", configuration: TinyRun.Settings(learningRate: 1e-2, seed: 1))
        #expect(throws: TrainingError.self) { try state.restore(from: url) }
        try Data("not a checkpoint".utf8).write(to: url)
        #expect(throws: TrainingError.self) { try TinyRun().restore(from: url) }
    }
}
