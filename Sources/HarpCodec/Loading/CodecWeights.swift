import Foundation
import HarpTensor

/// A codec's weights file, read tensor by tensor with the shape the configuration implies.
///
/// Every accessor checks the shape, so a wrong file fails at load time with the tensor's name and
/// both shapes. Weight-normalised convolutions are accepted under both namings PyTorch writes
/// (`parametrizations.weight.original0/1` and `weight_g`/`weight_v`) or as a plain `weight`, and
/// are folded once here: `w = g · v / ‖v‖`, the norm over every axis but the first (for
/// `ConvTranspose1d`, whose weight is `[in, out, k]`, the first axis is the input channel).
///
/// ref: PyTorch `torch/nn/utils/parametrizations.py` (`weight_norm`, `_WeightNorm`).
final class CodecWeights {
    private enum Source {
        case file(SafeTensorsFile)
        /// Random tensors, recorded under the names asked for (full-size benchmark models).
        case random(RandomGenerator, weightNormNaming: Bool)
    }

    private var source: Source
    /// The tensors a random source made, by name, as a checkpoint would hold them.
    private(set) var recorded: [String: Tensor] = [:]

    init(contentsOf url: URL) throws(CodecError) {
        do {
            source = .file(try SafeTensorsFile(contentsOf: url))
        } catch {
            throw .unreadableWeights("\(url.lastPathComponent): \(error)")
        }
    }

    /// Random weights: every tensor asked for is drawn (`N(0, 1/fan-in)` weights, small biases,
    /// unit norm gains and Snake α, `N(0, 1)` codebooks) and recorded; weight-normed layers are
    /// recorded as `parametrizations.weight.original0/1` when `weightNormNaming`, else as `weight`.
    init(randomSeed: UInt64, weightNormNaming: Bool) {
        source = .random(RandomGenerator(seed: randomSeed), weightNormNaming: weightNormNaming)
    }

    /// Whether the file has a tensor `name`.
    func contains(_ name: String) -> Bool {
        switch source {
        case .file(let file): return (try? file.entry(named: name)) != nil
        case .random(_, let weightNormNaming): return !weightNormNaming && name.hasSuffix(".weight")
        }
    }

    /// The tensor `name`, which must have `shape`.
    func tensor(_ name: String, shape: [Int]) throws(CodecError) -> Tensor {
        guard case .file(let file) = source else { return randomTensor(name, shape: shape) }
        guard contains(name) else { throw .missingTensor(name) }
        let actual = (try? file.shape(of: name)) ?? []
        guard actual == shape else { throw .misshapedTensor(name: name, expected: shape, actual: actual) }
        do {
            return try file.tensor(named: name)
        } catch {
            throw .unreadableWeights("\(name): \(error)")
        }
    }

    private func randomTensor(_ name: String, shape: [Int]) -> Tensor {
        guard case .random(var generator, let naming) = source else { preconditionFailure("not a random source") }
        defer { source = .random(generator, weightNormNaming: naming) }
        let tensor: Tensor
        if name.hasSuffix(".alpha") || name.hasSuffix("norm.weight") || name.hasSuffix(".original0") {
            tensor = Tensor(shape: shape, repeating: 1)
        } else if name.hasSuffix("bias") || name.contains(".bias_") {
            tensor = Tensor.normal(shape, standardDeviation: 0.01, generator: &generator)
        } else if name.hasSuffix(".embed") || name.hasSuffix("codebook.weight") {
            tensor = Tensor.normal(shape, generator: &generator)
        } else {
            let fanIn = shape.dropFirst().reduce(1, *)
            tensor = Tensor.normal(shape, standardDeviation: 1 / Float(max(fanIn, 1)).squareRoot(), generator: &generator)
        }
        recorded[name] = tensor
        return tensor
    }

    /// The effective weight of the layer at `prefix` (e.g. `encoder.layers.0.conv`), of `shape`,
    /// from a plain `weight` or either weight-norm naming, folded.
    func normalizedWeight(_ prefix: String, shape: [Int]) throws(CodecError) -> Tensor {
        if contains(prefix + ".weight") { return try tensor(prefix + ".weight", shape: shape) }
        let magnitudeShape = [shape[0]] + [Int](repeating: 1, count: shape.count - 1)
        let names: (String, String)
        if contains(prefix + ".weight_g") || contains(prefix + ".weight_v") {
            names = (prefix + ".weight_g", prefix + ".weight_v")
        } else {
            names = (prefix + ".parametrizations.weight.original0", prefix + ".parametrizations.weight.original1")
        }
        let magnitude = try tensor(names.0, shape: magnitudeShape)
        let direction = try tensor(names.1, shape: shape)
        return withoutGradients { Self.folded(magnitude: magnitude, direction: direction) }
    }

    /// `g · v / ‖v‖`, the norm over every axis but the first.
    static func folded(magnitude: Tensor, direction: Tensor) -> Tensor {
        let norm = direction.square().sum(alongAxes: Array(1..<direction.rank), keepDims: true).sqrt()
        return direction * (magnitude / norm)
    }
}
