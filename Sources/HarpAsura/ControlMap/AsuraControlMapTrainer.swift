import Foundation
import HarpNN
import HarpOptim
import HarpTensor

/// Trains a control map on cached latents (ref: alephic/asura `harp/asura/train_control_map.py`,
/// `BAF.forward` with its defaults: normal source, uniform `p_t`, autoguidance 2, the backward
/// jump loss, `y_anchor = source_target`, adaptive loss cap 1000; Adam, gradient norm clipped to
/// 1, linear warm-up, a moving average of the weights).
///
/// Three networks over the latent `x`: `v_net` the velocity at time t, `u_net` the average
/// velocity of the jump t → r (trained to agree with two half jumps, guided by `v_net`), and
/// `y_net` the single jump between noise and latent (half the batch 0 → 1, half 1 → 0), which is
/// the map. Time encodings are `d_c` sinusoids (`t_scale` 1000).
public final class AsuraControlMapTrainer {
    public struct Options: Sendable {
        public var steps = 3000
        public var batchSize = 256
        public var learningRate = 1e-3
        public var warmupSteps = 100
        /// The reference averages with 0.9999 over two million steps; a few thousand steps need a
        /// shorter memory.
        public var averageDecay = 0.995
        public var timeEncodingWidth = 64
        public var timeScale: Float = 1000
        public var autoguidance: Float = 2
        public var adaptiveLossCap: Float = 1000
        public var seed: UInt64 = 42
        public init() {}
    }

    final class Networks: Module {
        @Keyed("v_net") var velocity: ConditioningMLP
        @Keyed("u_net") var jump: ConditioningMLP
        @Keyed("y_net") var oneStep: ConditioningMLP
        @Keyed("w_v_net") var lossWeight: ConditioningMLP

        init(_ settings: AsuraControlMap.Settings, timeWidth: Int, generator: inout RandomGenerator) {
            let x = settings.latentWidth
            _velocity.wrappedValue = AsuraControlMap.network(inputWidth: x + timeWidth, settings: settings, outputWidth: x, generator: &generator)
            _jump.wrappedValue = AsuraControlMap.network(inputWidth: x + timeWidth, settings: settings, outputWidth: x, generator: &generator)
            _oneStep.wrappedValue = AsuraControlMap.network(inputWidth: x, settings: settings, outputWidth: x, generator: &generator)
            _lossWeight.wrappedValue = ConditioningMLP(inputWidth: timeWidth, hiddenWidth: 2 * timeWidth, layerCount: 2, outputWidth: 1,
                                                       activation: .silu, generator: &generator)
            super.init()
        }
    }

    public let map: AsuraControlMap
    public let options: Options
    let networks: Networks
    let data: [Float]
    let exampleCount: Int
    let optimizer: Adam
    let average: ExponentialMovingAverage
    var generator: RandomGenerator

    /// - Parameter latents: the cached latents `[count, d_token]` (`harp asura encode`).
    public init(latents: Tensor, settings: AsuraControlMap.Settings, options: Options = Options()) {
        precondition(latents.rank == 2 && latents.shape[1] == settings.latentWidth, "control map: latents \(latents.shape)")
        self.options = options
        generator = RandomGenerator(seed: options.seed)
        map = AsuraControlMap(settings, generator: &generator)
        networks = Networks(settings, timeWidth: options.timeEncodingWidth, generator: &generator)
        data = latents.scalars
        exampleCount = latents.shape[0]
        optimizer = Adam(parameters: networks.parameters(), learningRate: options.learningRate)
        average = ExponentialMovingAverage(module: networks.oneStep, decay: options.averageDecay)
    }

    /// One step (0-based `step`, the warm-up's position) on a random batch; returns the loss.
    public func step(_ step: Int) -> Float {
        let batch = randomBatch()
        networks.zeroGradients()
        let loss = self.loss(batch)
        loss.backward()
        _ = GradientClipping.clipNorm(of: networks.parameters(), maxNorm: 1)
        optimizer.learningRate = options.learningRate * min(1, Double(step) / Double(max(1, options.warmupSteps)))
        optimizer.step()
        average.update()
        return loss.item
    }

    /// The loss of a fixed batch with fixed noise (seeded by `seed`), without training: comparable
    /// between steps, unlike the loss of each step's random batch.
    public func evaluationLoss(seed: UInt64 = 7) -> Float {
        let saved = generator
        generator = RandomGenerator(seed: seed)
        defer { generator = saved }
        return withoutGradients { loss(randomBatch()).item }
    }

    /// The map with the averaged one-step network.
    public func trainedMap() -> AsuraControlMap {
        average.swap()
        let state = networks.oneStep.stateDict()
        average.swap()
        try! map.oneStep.load(stateDict: state)
        return map
    }

    func randomBatch() -> Tensor {
        let width = map.settings.latentWidth, size = options.batchSize
        let picks = Tensor.uniform([size], generator: &generator).scalars.map { min(Int($0 * Float(exampleCount)), exampleCount - 1) }
        var values = [Float](repeating: 0, count: size * width)
        for (row, pick) in picks.enumerated() {
            for j in 0..<width { values[row * width + j] = data[pick * width + j] }
        }
        return Tensor(shape: [size, width], values: values)
    }
}
