import HarpNN
import HarpTensor
import Testing

/// Dropout has no PyTorch parity (different random streams), so its contract is tested directly.
struct DropoutTests {
    @Test func trainingZeroesAboutPAndScalesTheRest() {
        let dropout = Dropout(probability: 0.25, generator: RandomGenerator(seed: 5))
        let values = dropout(Tensor.ones([4000])).scalars
        #expect(values.allSatisfy { $0 == 0 || abs($0 - 1 / 0.75) < 1e-6 })
        let dropped = Double(values.filter { $0 == 0 }.count) / 4000
        #expect(abs(dropped - 0.25) < 0.03)   // binomial standard deviation ≈ 0.007
    }

    @Test func evaluationIsTheIdentity() {
        let dropout = Dropout(probability: 0.5, generator: RandomGenerator(seed: 5))
        dropout.eval()
        let x = Tensor([1, 2, 3])
        #expect(dropout(x) === x)
    }

    @Test func sameSeedGivesSameMasksAndCallsDiffer() {
        let a = Dropout(generator: RandomGenerator(seed: 9)), b = Dropout(generator: RandomGenerator(seed: 9))
        let x = Tensor.ones([64])
        let first = a(x).scalars
        #expect(first == b(x).scalars)
        #expect(first != a(x).scalars)
    }

    @Test func gradientIsTheScaledMask() {
        let dropout = Dropout(probability: 0.5, generator: RandomGenerator(seed: 1))
        let x = Tensor(shape: [32], repeating: 2, requiresGradient: true)
        let y = dropout(x)
        y.sum().backward()
        #expect(x.grad!.scalars == y.scalars.map { $0 / 2 })
    }
}
