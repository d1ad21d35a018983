import Testing
import HarpTensor
@testable import HarpInstrument

/// The loss's parts: the spectral term it is built from, and the distance of silence that
/// `harp fit` compares with the first sound when a control signal dies.
struct InstrumentLossTests {
    @Test func silentDistanceIsTheSumOfTheTargetsMagnitudesAsPyTorchComputesThem() throws {
        let f = try SeedParityTests.load()
        let c = f.configuration
        let objective = InstrumentLoss(target: f.tensor("input.target").reshaped([c.sampleCount]),
                                       windowSize: c.lossWindowSize, hopSize: c.lossHopSize, sparsityCoefficient: 0.5)
        let pytorchSum = f.tensor("out.stft_target").scalars.reduce(0, +)
        #expect(Swift.abs(objective.silentDistance - pytorchSum) / pytorchSum < 1e-5)
        let silence = withoutGradients { objective.spectralDistance(Tensor.zeros([c.sampleCount])).item }
        #expect(Swift.abs(objective.silentDistance - silence) / silence < 1e-6)
    }

    @Test func theTotalIsTheSpectralTermPlusTheSparsityPenalty() throws {
        let f = try SeedParityTests.load()
        let c = f.configuration
        let objective = InstrumentLoss(target: f.tensor("input.target").reshaped([c.sampleCount]),
                                       windowSize: c.lossWindowSize, hopSize: c.lossHopSize, sparsityCoefficient: 0.5)
        let control = f.model.controlSignal
        let reconstruction = f.model.render(control: control, noise: [f.tensor("input.attack_noise")])
        let (total, spectral) = withoutGradients { objective.terms(reconstruction: reconstruction, control: control) }
        let penalty = 0.5 * control.scalars.map(Swift.abs).reduce(0, +)
        #expect(Swift.abs(total.item - (spectral.item + penalty)) / total.item < 1e-5)
        #expect(Swift.abs(total.item - f.tensor("out.loss").item) / total.item < 1e-5)
    }
}
