import HarpTensor

/// A multi-layer long short-term memory network (`torch.nn.LSTM`, unidirectional; keys
/// `weight_ih_l{k}`, `weight_hh_l{k}`, `bias_ih_l{k}`, `bias_hh_l{k}`).
///
/// Each layer, at each step, with gates in PyTorch's order i, f, g, o:
/// `[i f g o] = x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh`,
/// `c_t = σ(f)⊙c_{t−1} + σ(i)⊙tanh(g)`, `h_t = σ(o)⊙tanh(c_t)`; a layer's `h_t` is the next
/// layer's `x_t`.
///
/// Shapes (`batchFirst`): input `[batch, time, inputSize]` → output `[batch, time, hiddenSize]`;
/// without `batchFirst`, `[time, batch, …]`. States `hidden`, `cell`: `[layerCount, batch, hiddenSize]`.
/// Parameters: `weight_ih_l{k} [4·hidden, in]`, `weight_hh_l{k} [4·hidden, hidden]`, biases
/// `[4·hidden]`, all uniform in `±1/√hiddenSize` (PyTorch's initialisation).
///
/// Up to `maximumLayerCount` layers: module reflection names properties, so each layer's
/// tensors are a declared property with its PyTorch key. Inter-layer dropout and bidirectional
/// layers are not implemented. The time loop is a plain sequence of matmuls and element-wise ops.
public final class LSTM: Module {
    @Keyed("weight_ih_l0") var weightIH0: Parameter? = nil
    @Keyed("weight_hh_l0") var weightHH0: Parameter? = nil
    @Keyed("bias_ih_l0") var biasIH0: Parameter? = nil
    @Keyed("bias_hh_l0") var biasHH0: Parameter? = nil
    @Keyed("weight_ih_l1") var weightIH1: Parameter? = nil
    @Keyed("weight_hh_l1") var weightHH1: Parameter? = nil
    @Keyed("bias_ih_l1") var biasIH1: Parameter? = nil
    @Keyed("bias_hh_l1") var biasHH1: Parameter? = nil
    @Keyed("weight_ih_l2") var weightIH2: Parameter? = nil
    @Keyed("weight_hh_l2") var weightHH2: Parameter? = nil
    @Keyed("bias_ih_l2") var biasIH2: Parameter? = nil
    @Keyed("bias_hh_l2") var biasHH2: Parameter? = nil
    @Keyed("weight_ih_l3") var weightIH3: Parameter? = nil
    @Keyed("weight_hh_l3") var weightHH3: Parameter? = nil
    @Keyed("bias_ih_l3") var biasIH3: Parameter? = nil
    @Keyed("bias_hh_l3") var biasHH3: Parameter? = nil

    public static let maximumLayerCount = 4

    /// The four properties of each layer, in PyTorch's order: weight_ih, weight_hh, bias_ih, bias_hh.
    private static let slots: [[ReferenceWritableKeyPath<LSTM, Parameter?>]] = [
        [\.weightIH0, \.weightHH0, \.biasIH0, \.biasHH0],
        [\.weightIH1, \.weightHH1, \.biasIH1, \.biasHH1],
        [\.weightIH2, \.weightHH2, \.biasIH2, \.biasHH2],
        [\.weightIH3, \.weightHH3, \.biasIH3, \.biasHH3],
    ]

    public let inputSize: Int
    public let hiddenSize: Int
    public let layerCount: Int
    public let batchFirst: Bool

    public init(inputSize: Int, hiddenSize: Int, layerCount: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                generator: inout RandomGenerator) {
        precondition((1...Self.maximumLayerCount).contains(layerCount),
                     "LSTM: \(layerCount) layers; 1…\(Self.maximumLayerCount) are supported")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.batchFirst = batchFirst
        super.init()
        let bound = 1 / Float(hiddenSize).squareRoot()
        for layer in 0..<layerCount {
            let shapes = [[4 * hiddenSize, layer == 0 ? inputSize : hiddenSize], [4 * hiddenSize, hiddenSize],
                          [4 * hiddenSize], [4 * hiddenSize]]
            for (slot, shape) in zip(Self.slots[layer], shapes) where bias || shape.count == 2 {
                self[keyPath: slot] = Tensor.uniform(shape, low: -bound, high: bound, generator: &generator,
                                                     requiresGradient: true)
            }
        }
    }

    /// Runs the sequence through every layer.
    ///
    /// - Parameters:
    ///   - input: `[batch, time, inputSize]` (`batchFirst`) or `[time, batch, inputSize]`.
    ///   - state: initial `hidden` and `cell`, each `[layerCount, batch, hiddenSize]`; zeros when `nil`.
    /// - Returns: the last layer's hidden states for every step (the input's layout, width
    ///   `hiddenSize`), and each layer's final `hidden` and `cell` `[layerCount, batch, hiddenSize]`.
    public func callAsFunction(
        _ input: Tensor, state: (hidden: Tensor, cell: Tensor)? = nil
    ) -> (output: Tensor, hidden: Tensor, cell: Tensor) {
        precondition(input.rank == 3 && input.shape[2] == inputSize, "LSTM: input \(input.shape), width \(inputSize)")
        var x = batchFirst ? input : input.transposed(0, 1)   // [batch, time, features]
        let batch = x.shape[0]
        if let state {
            precondition(state.hidden.shape == [layerCount, batch, hiddenSize] && state.cell.shape == state.hidden.shape,
                         "LSTM: state \(state.hidden.shape), \(state.cell.shape), expected [\(layerCount), \(batch), \(hiddenSize)]")
        }
        var finalHidden: [Tensor] = [], finalCell: [Tensor] = []
        for layer in 0..<layerCount {
            let initial = state.map { ($0.hidden.sliced(alongAxis: 0, start: layer, end: layer + 1).reshaped([batch, hiddenSize]),
                                       $0.cell.sliced(alongAxis: 0, start: layer, end: layer + 1).reshaped([batch, hiddenSize])) }
                ?? (Tensor.zeros([batch, hiddenSize]), Tensor.zeros([batch, hiddenSize]))
            let result = run(layer: layer, x, hidden: initial.0, cell: initial.1)
            x = result.output
            finalHidden.append(result.hidden)
            finalCell.append(result.cell)
        }
        return (batchFirst ? x : x.transposed(0, 1), Tensor.stacked(finalHidden), Tensor.stacked(finalCell))
    }

    /// One layer over `x [batch, time, features]`: `[batch, time, hidden]` and the last states.
    private func run(layer: Int, _ x: Tensor, hidden: Tensor, cell: Tensor) -> (output: Tensor, hidden: Tensor, cell: Tensor) {
        let slot = Self.slots[layer]
        let (weightIH, weightHH) = (self[keyPath: slot[0]]!, self[keyPath: slot[1]]!)
        let (biasIH, biasHH) = (self[keyPath: slot[2]], self[keyPath: slot[3]])
        // The input part of every step's gates at once: [batch, time, 4·hidden].
        var inputGates = Linear.linear(x, weight: weightIH, bias: biasIH)
        if let biasHH { inputGates = inputGates + biasHH }
        let recurrentWeight = weightHH.transposed()
        let (batch, time) = (x.shape[0], x.shape[1])
        var (h, c) = (hidden, cell)
        var outputs: [Tensor] = []
        outputs.reserveCapacity(time)
        for t in 0..<time {
            let gates = inputGates.sliced(alongAxis: 1, start: t, end: t + 1).reshaped([batch, 4 * hiddenSize])
                + matmul(h, recurrentWeight)
            let parts = gates.split(sizes: [hiddenSize, hiddenSize, hiddenSize, hiddenSize], alongAxis: 1)
            c = parts[1].sigmoid() * c + parts[0].sigmoid() * parts[2].tanh()
            h = parts[3].sigmoid() * c.tanh()
            outputs.append(h)
        }
        return (Tensor.stacked(outputs, alongAxis: 1), h, c)
    }
}
