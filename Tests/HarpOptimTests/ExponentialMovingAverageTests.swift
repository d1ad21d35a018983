import HarpNN
import HarpOptim
import HarpTensor
import Testing

private final class Pair: Module {
    var weight = Tensor([1, 2, 3], requiresGradient: true)
    var bias = Tensor([0], requiresGradient: true)
}

@Suite struct ExponentialMovingAverageTests {
    @Test func averagesFollowTheRecurrence() {
        let module = Pair()
        let ema = ExponentialMovingAverage(module: module, decay: 0.9)
        var expected: [Double] = [1, 2, 3]
        for step in 1...3 {
            module.weight.assign(Tensor([Float(step) * 10, 0, -5]))
            ema.update()
            let current = module.weight.scalars.map(Double.init)
            expected = zip(expected, current).map { $0 + 0.1 * ($1 - $0) }
        }
        #expect(isClose(ema.averages[0].tensor.scalars, expected.map(Float.init), relative: 1e-6))
        #expect(ema.averages.map(\.name) == ["weight", "bias"])
    }

    @Test func swapExchangesAndSwapsBack() {
        let module = Pair()
        let ema = ExponentialMovingAverage(module: module, decay: 0.5)
        module.weight.assign(Tensor([3, 4, 5]))
        ema.update()  // averages: [2, 3, 4]
        ema.swap()
        #expect(module.weight.scalars == [2, 3, 4])
        ema.swap()
        #expect(module.weight.scalars == [3, 4, 5])
        ema.copyAverages()
        #expect(module.weight.scalars == [2, 3, 4])
        #expect(ema.stateDict()["weight"]?.scalars == [2, 3, 4])
    }
}
