import HarpTensor

/// One EnCodec layer with the state it needs to run block by block (see `StreamingConvolution`).
enum StreamingEncodecLayer {
    case convolution(StreamingConvolution)
    case transposedConvolution(StreamingTransposedConvolution)
    case resnet(StreamingResnetBlock)
    case lstm(EncodecLSTMBlock, state: [EncodecLSTMBlock.State]?)
    case elu

    init(_ layer: EncodecLayer) {
        switch layer {
        case .convolution(let conv): self = .convolution(StreamingConvolution(conv))
        case .transposedConvolution(let conv): self = .transposedConvolution(StreamingTransposedConvolution(conv))
        case .resnet(let block): self = .resnet(StreamingResnetBlock(block))
        case .lstm(let block): self = .lstm(block, state: nil)
        case .elu: self = .elu
        }
    }

    /// The outputs `input [1, channels, n]` completes.
    mutating func push(_ input: Tensor) -> Tensor {
        switch self {
        case .convolution(var conv):
            defer { self = .convolution(conv) }
            return conv.push(input)
        case .transposedConvolution(var conv):
            defer { self = .transposedConvolution(conv) }
            return conv.push(input)
        case .resnet(var block):
            defer { self = .resnet(block) }
            return block.push(input)
        case .lstm(let block, let state):
            guard input.shape[2] > 0 else { return input }
            let (output, next) = block.step(input, state: state)
            self = .lstm(block, state: next)
            return output
        case .elu:
            return input.shape[2] > 0 ? input.elu() : input
        }
    }

    /// The outputs left once the input has ended.
    mutating func finish() -> Tensor {
        switch self {
        case .convolution(var conv):
            defer { self = .convolution(conv) }
            return conv.finish()
        case .transposedConvolution(var conv):
            defer { self = .transposedConvolution(conv) }
            return conv.finish()
        case .resnet(var block):
            defer { self = .resnet(block) }
            return block.finish()
        case .lstm, .elu:
            return push(Tensor.zeros([1, 0, 0]))
        }
    }
}

/// `EncodecResnetBlock` block by block: the shortcut's outputs wait for the branch's (whose
/// first convolution starts late), then the two are added.
struct StreamingResnetBlock {
    private var first: StreamingConvolution
    private var second: StreamingConvolution
    private var shortcut: StreamingConvolution?
    private var pendingShortcut: Tensor?

    init(_ block: EncodecResnetBlock) {
        first = StreamingConvolution(block.first)
        second = StreamingConvolution(block.second)
        shortcut = block.shortcut.map(StreamingConvolution.init)
    }

    mutating func push(_ input: Tensor) -> Tensor {
        let branch = second.push(elu(first.push(elu(input))))
        return combined(branch: branch, shortcut: shortcut?.push(input) ?? input)
    }

    mutating func finish() -> Tensor {
        let last = elu(first.finish())
        let branch = StreamingOps.joined(second.push(last), second.finish())
        let rest = shortcut?.finish() ?? Tensor.zeros([1, branch.shape[1], 0])
        return combined(branch: branch, shortcut: rest)
    }

    private func elu(_ x: Tensor) -> Tensor { x.shape[2] > 0 ? x.elu() : x }

    private mutating func combined(branch: Tensor, shortcut: Tensor) -> Tensor {
        let waiting = pendingShortcut.map { StreamingOps.joined($0, shortcut) } ?? shortcut
        let count = branch.shape[2]
        pendingShortcut = waiting.sliced(alongAxis: 2, start: count)
        guard count > 0 else { return branch }
        return waiting.sliced(alongAxis: 2, end: count) + branch
    }
}

/// An `EncodecStack` block by block.
struct StreamingEncodecStack {
    private var layers: [StreamingEncodecLayer]

    init(_ stack: EncodecStack) {
        layers = stack.layers.map(StreamingEncodecLayer.init)
    }

    mutating func push(_ input: Tensor) -> Tensor {
        var x = input
        for index in layers.indices { x = layers[index].push(x) }
        return x
    }

    /// Finishes each layer in turn, feeding its last outputs to the next before finishing it.
    mutating func finish() -> Tensor {
        var carry: Tensor? = nil
        for index in layers.indices {
            let pushed = carry.map { layers[index].push($0) }
            let finished = layers[index].finish()
            carry = pushed.map { StreamingOps.joined($0, finished) } ?? finished
        }
        return carry!
    }
}
