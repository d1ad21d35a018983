import HarpNN
import HarpTensor

/// A leaf layer with a weight and an optional bias.
final class TestLinear: Module {
    var weight: Parameter
    var bias: Parameter?

    init(inputs: Int, outputs: Int, bias: Bool = true, fill: Float = 0) {
        weight = Tensor(shape: [outputs, inputs], repeating: fill, requiresGradient: true)
        self.bias = bias ? Tensor(shape: [outputs], repeating: fill, requiresGradient: true) : nil
    }
}

/// A block exercising renaming, buffers, ignored properties and non-tensor properties.
final class TestBlock: Module {
    @Keyed("attack_envelopes") var attackEnvelopes: Parameter
    let projection: TestLinear
    @Buffer(key: "running_mean") var runningMean: Tensor
    @Ignored var cache: Tensor? = Tensor.zeros([3])
    let sampleRate = 44_100
    let gains: [Float] = Array(repeating: 1, count: 1000)

    init(fill: Float) {
        projection = TestLinear(inputs: 3, outputs: 2, fill: fill)
        super.init()
        attackEnvelopes = Tensor(shape: [2, 5], repeating: fill, requiresGradient: true)
        runningMean = Tensor.zeros([2])
    }
}

/// The network under test: an array and a dictionary of modules, a renamed child, a plain tensor.
class TestNetwork: Module {
    let layers: [TestBlock]
    let heads: [String: TestLinear]
    var gain: Parameter
    @Keyed("out_proj") var outputProjection: TestLinear
    var absent: Parameter? = nil

    init(fill: Float = 0) {
        layers = [TestBlock(fill: fill), TestBlock(fill: fill + 1)]
        heads = ["pitch": TestLinear(inputs: 2, outputs: 1, bias: false, fill: fill), "loudness": TestLinear(inputs: 2, outputs: 1, fill: fill)]
        gain = Tensor(scalar: fill, requiresGradient: true)
        // Before super.init, a wrapped property is set through its storage.
        _outputProjection.wrappedValue = TestLinear(inputs: 2, outputs: 4, fill: fill)
    }
}

/// A subclass adds its properties after the superclass's.
final class TestExtendedNetwork: TestNetwork {
    var extra: Parameter = Tensor.zeros([7], requiresGradient: true)
}
