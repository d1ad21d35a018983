import Foundation
import HarpTensor

extension AsuraControlMapTrainer {
    /// The BAF loss of a batch `x [n, d]` (ref: train_control_map.py `BAF.forward`): the adaptive
    /// velocity loss, the forward jump against its autoguided two-half-jump target, the backward
    /// jump against the average of the halves, and the one-step jump against the target built
    /// from two half jumps in each direction.
    func loss(_ x: Tensor) -> Tensor {
        let n = x.shape[0]
        let tV = uniform(n), tA = uniform(n), tB = uniform(n)
        let s = logitNormal(n)
        let tM = zip(tA, zip(s, tB)).map { a, sb in a + sb.0 * (sb.1 - a) }
        let eV = normal(x.shape), eU = normal(x.shape), eY = normal(x.shape)
        let zV = (1 - column(tV)) * eV + column(tV) * x
        let zA = (1 - column(tA)) * eU + column(tA) * x
        let v = x - eV

        let (vA, uAA, uAvg, zB) = withoutGradients { () -> (Tensor, Tensor, Tensor, Tensor) in
            let vA = networks.velocity(Tensor.concatenated([zA, velocityTime(tA)], alongAxis: 1))
            let uAA = jump(zA, from: tA, to: tA)
            let uAM = jump(zA, from: tA, to: tM)
            let zM = zA + column(zip(tM, tA).map { $0 - $1 }) * uAM
            let uMB = jump(zM, from: tM, to: tB)
            let uAvg = column(s) * uAM + (1 - column(s)) * uMB
            return (vA, uAA, uAvg, zA + column(zip(tB, tA).map { $0 - $1 }) * uAvg)
        }
        let both = jump(Tensor.concatenated([zA, zB], alongAxis: 0), from: tA + tB, to: tB + tA)
        let uHatAB = both.sliced(alongAxis: 0, start: 0, end: n), uHatBA = both.sliced(alongAxis: 0, start: n)
        let vHat = networks.velocity(Tensor.concatenated([zV, velocityTime(tV)], alongAxis: 1))

        let (uTarget, xY, yTarget) = withoutGradients { () -> (Tensor, Tensor, Tensor) in
            let g = options.autoguidance
            let uTarget = g * uAvg + (1 - g) * uHatAB.detached() + (vA - uAA)
            // source_target: the first half jumps noise → latent, the second latent → noise.
            let tYA = (0..<n).map { $0 < n / 2 ? Float(0) : 1 }, tYB = tYA.map { 1 - $0 }
            let sY = logitNormal(n)
            let tYM = (0..<n).map { tYA[$0] + sY[$0] * (tYB[$0] - tYA[$0]) }
            let zYA = (1 - column(tYA)) * eY + column(tYA) * x
            let yAM = jump(zYA, from: tYA, to: tYM)
            let zYM = zYA + column(zip(tYM, tYA).map { $0 - $1 }) * yAM
            let yMB = jump(zYM, from: tYM, to: tYB)
            let yTarget = column(sY) * yAM + (1 - column(sY)) * yMB
            return (uTarget, zYA - column(tYA) * yTarget, yTarget)
        }
        let yHat = networks.oneStep(xY)

        let minimumWeight = -Foundation.log(options.adaptiveLossCap)
        let rawWeight = networks.lossWeight(velocityTime(tV)).reshaped([n]) - minimumWeight
        let weight = (1 + rawWeight.exp()).log() + minimumWeight  // softplus, as the reference bounds it below
        let lossV = (weight + (-weight).exp() * (vHat - v).square().mean(alongAxis: 1)).mean()
        return lossV + (uHatAB - uTarget).square().mean() + (uHatBA - uAvg).square().mean() + (yHat - yTarget).square().mean()
    }

    func jump(_ z: Tensor, from t: [Float], to r: [Float]) -> Tensor {
        networks.jump(Tensor.concatenated([z, jumpTime(t, r)], alongAxis: 1))
    }

    /// ref: `BAF.get_c_v`.
    func velocityTime(_ t: [Float]) -> Tensor {
        SinusoidEncoding.encode(t.map { $0 * options.timeScale }, width: options.timeEncodingWidth, maxRange: options.timeScale)
    }

    /// ref: `BAF.get_c_u`: half the width for t, half for r − t.
    func jumpTime(_ t: [Float], _ r: [Float]) -> Tensor {
        let half = options.timeEncodingWidth / 2
        return Tensor.concatenated([
            SinusoidEncoding.encode(t.map { $0 * options.timeScale }, width: half, maxRange: options.timeScale),
            SinusoidEncoding.encode(zip(r, t).map { ($0 - $1) * options.timeScale }, width: half, maxRange: 2 * options.timeScale),
        ], alongAxis: 1)
    }

    func column(_ values: [Float]) -> Tensor { Tensor(shape: [values.count, 1], values: values) }
    func uniform(_ n: Int) -> [Float] { Tensor.uniform([n], generator: &generator).scalars }
    func normal(_ shape: [Int]) -> Tensor { Tensor.normal(shape, generator: &generator) }
    /// `sigmoid(randn)`.
    func logitNormal(_ n: Int) -> [Float] { Tensor.normal([n], generator: &generator).sigmoid().scalars }
}
