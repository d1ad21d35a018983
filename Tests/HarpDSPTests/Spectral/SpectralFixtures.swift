import Foundation
import HarpTensor
import HarpTestSupport
import Testing

/// The fixtures `tools/make_dsp_fixtures.py` writes from torch/librosa/auraloss in float64.
enum SpectralFixtures {
    static func load(_ name: String) throws -> JSONFixtures {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("\(name).json")
        return try JSONFixtures(contentsOf: url)
    }
}

/// `expectClose` with the absolute tolerance scaled to the largest expected magnitude:
/// |a − e| ≤ relative · (|e| + floor · max|e|).
///
/// Why scaled: the fixtures are float64 answers and Harp computes in float32. A float32 FFT's
/// error is about ε·log₂n relative to the *norm* of its input, not to each output value, so small
/// bins (and gradients that are sums of many terms of both signs) carry an error proportional to
/// the largest value; torch's own float32 results differ from its float64 ones by 1e-7…4e-4 of
/// the maximum on these cases (printed by the fixture script). The floor keeps near-zero entries
/// from demanding impossible relative accuracy while a wrong factor, sign or index still fails by
/// orders of magnitude.
func expectCloseToFixture(_ actual: Tensor, _ expected: Tensor, relative: Float = 1e-4, floor: Float = 1e-2,
                          _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let largest = expected.scalars.reduce(0) { Swift.max($0, Swift.abs($1)) }
    expectClose(actual, expected, relative: relative, absolute: relative * floor * largest, context,
                sourceLocation: sourceLocation)
}

/// A leaf copy of `tensor` that records gradients.
func leaf(_ tensor: Tensor) -> Tensor {
    Tensor(shape: tensor.shape, values: tensor.scalars, requiresGradient: true)
}
