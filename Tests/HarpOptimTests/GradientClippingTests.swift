import HarpOptim
import HarpTensor
import Testing

@Suite struct GradientClippingTests {
    static func parameters() -> [Tensor] {
        let fixture = OptimFixtures.clipping
        return zip(fixture.shapes, fixture.grads).map { shape, gradient in
            let parameter = Tensor.zeros(shape, requiresGradient: true)
            parameter.grad = Tensor(shape: shape, values: gradient)
            return parameter
        }
    }

    @Test(arguments: OptimFixtures.clipping.cases.indices)
    func matchesTorch(index: Int) {
        let fixture = OptimFixtures.clipping.cases[index]
        let parameters = Self.parameters()
        switch fixture.norm_type {
        case .number(0):
            GradientClipping.clipValue(of: parameters, maxValue: Float(fixture.max))
        case .number:
            let total = GradientClipping.clipNorm(of: parameters, maxNorm: fixture.max)
            #expect(abs(Double(total) - fixture.total_norm) <= 1e-6 * fixture.total_norm)
        case .infinity:
            let total = GradientClipping.clipNorm(of: parameters, maxNorm: fixture.max, norm: .infinity)
            #expect(Double(total) == fixture.total_norm)
        }
        for (parameter, expected) in zip(parameters, fixture.clipped) {
            #expect(isClose(parameter.grad!.scalars, expected, relative: 1e-6))
        }
    }

    @Test func parametersWithoutGradientsAreSkipped() {
        let withGradient = Tensor.zeros([2], requiresGradient: true)
        withGradient.grad = Tensor([3, 4])
        let total = GradientClipping.clipNorm(of: [withGradient, Tensor.zeros([3], requiresGradient: true)], maxNorm: 1)
        #expect(total == 5)
        #expect(isClose(withGradient.grad!.scalars, [0.6, 0.8], relative: 1e-6))
    }
}
