import Foundation
import Testing
@testable import HarpTensor

/// ELU's vectorised path (exp − 1, with a Taylor series near 0) against `expm1` value by value.
struct ExponentialLinearTests {
    @Test func vectorPathMatchesExpm1() {
        let values = (0..<4096).map { i -> Float in -20 + 40 * Float(i) / 4095 }
            + (0..<512).map { i -> Float in -0.2 + 0.4 * Float(i) / 511 } + [-1e-7, -1e-30, 0, .nan, -.infinity]
        let x = Tensor(values)
        let y = x.elu(alpha: 1.5).scalars
        for (input, output) in zip(values, y) {
            let expected = input > 0 ? input : 1.5 * Foundation.expm1(input)
            if input.isNaN { #expect(output.isNaN); continue }
            #expect(Swift.abs(output - expected) <= 2e-7 * Swift.max(1, Swift.abs(expected)) + 1e-6 * Swift.abs(expected),
                    "elu(\(input)) = \(output), expm1 gives \(expected)")
        }
    }
}
