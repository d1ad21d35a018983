import Foundation
import HarpTensor

/// A distribution on [0, 1] of the noise and time draws (the reference's
/// `harp/modeling/distributions.py`, `dist_from_config`): given by name (`"uniform"`) or object
/// (`{"type": "logit_normal", "mean": 0, "scale": 1}`).
public indirect enum AsuraDistribution: Equatable, Sendable {
    case uniform(low: Float, high: Float)
    /// `sigmoid(mean + scale·N(0, 1))`.
    case logitNormal(mean: Float, scale: Float)
    /// `scale·√U`: density rising linearly to `scale` (`tri`).
    case triangular(scale: Float)
    /// `scale·(1 − √U)`: density falling linearly from 0 (`trilo`).
    case triangularLow(scale: Float)
    case beta(alpha: Float, beta: Float)
    /// `a` with probability `p`, else `b`.
    case mixture(p: Float, a: AsuraDistribution, b: AsuraDistribution)

    init?(_ raw: Any?, path: String, reader: ConfigurationReader) {
        var object: ConfigurationReader.Object
        if let name = raw as? String {
            object = reader.root(["type": name])
        } else if let members = raw as? [String: Any] {
            object = reader.root(members)
        } else {
            return nil
        }
        object = ConfigurationReader.Object(path: path, members: object.members, reader: reader)
        switch object.string("type") {
        case "uniform": self = .uniform(low: object.float("low", default: 0), high: object.float("high", default: 1))
        case "logit_normal": self = .logitNormal(mean: object.float("mean", default: 0), scale: object.float("scale", default: 1))
        case "tri": self = .triangular(scale: object.float("scale", default: 1))
        case "trilo": self = .triangularLow(scale: object.float("scale", default: 1))
        case "beta": self = .beta(alpha: object.float("alpha"), beta: object.float("beta"))
        case "mixture":
            let p = object.float("p")
            guard let a = AsuraDistribution(object.raw("a"), path: object.name("a"), reader: reader),
                  let b = AsuraDistribution(object.raw("b"), path: object.name("b"), reader: reader) else {
                object.reportWrongType("a"); return nil
            }
            self = .mixture(p: p, a: a, b: b)
        default:
            object.reportWrongType("type")
            return nil
        }
        object.finish()
    }

    /// `count` independent draws.
    public func sample(count: Int, generator: inout RandomGenerator) -> [Float] {
        (0..<count).map { _ in sampleOne(generator: &generator) }
    }

    func sampleOne(generator: inout RandomGenerator) -> Float {
        switch self {
        case let .uniform(low, high): return low + (high - low) * Self.unit(&generator)
        case let .logitNormal(mean, scale):
            let z = Tensor.normal([1], generator: &generator).item
            return 1 / (1 + Foundation.exp(-(z * scale + mean)))
        case .triangular(let scale): return scale * Self.unit(&generator).squareRoot()
        case .triangularLow(let scale): return scale * (1 - Self.unit(&generator).squareRoot())
        case let .beta(alpha, beta):
            let x = Self.gamma(alpha, &generator), y = Self.gamma(beta, &generator)
            return x / (x + y)
        case let .mixture(p, a, b):
            return Self.unit(&generator) < p ? a.sampleOne(generator: &generator) : b.sampleOne(generator: &generator)
        }
    }

    static func unit(_ generator: inout RandomGenerator) -> Float {
        Tensor.uniform([1], generator: &generator).item
    }

    /// Marsaglia and Tsang's gamma sampler (shape < 1 boosted by `U^(1/shape)`).
    static func gamma(_ shape: Float, _ generator: inout RandomGenerator) -> Float {
        if shape < 1 { return gamma(shape + 1, &generator) * Foundation.pow(max(unit(&generator), 1e-12), 1 / shape) }
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            let z = Tensor.normal([1], generator: &generator).item
            let v = Foundation.pow(1 + c * z, 3)
            guard v > 0 else { continue }
            let u = max(unit(&generator), 1e-12)
            if Foundation.log(u) < 0.5 * z * z + d - d * v + d * Foundation.log(v) { return d * v }
        }
    }
}
