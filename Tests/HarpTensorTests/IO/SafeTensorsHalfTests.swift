import Foundation
import Testing
@testable import HarpTensor

/// Writing `F16`: the bits equal Swift's own `Float16` conversion (an independent reference) for
/// normal, subnormal, halfway, overflowing and special values, and a written file reads back.
@Suite struct SafeTensorsHalfTests {
    static let edgeValues: [Float] = [0, -0, 1, -1, 0.1, 1 / 3, 65504, 65519, 65520, 1e6, -1e6, 6.1035156e-05,
                                      6.0e-05, 5.9604645e-08, 2.9802322e-08, 2.9802326e-08, 1e-9, 1.0009766, 1.0004883,
                                      1.0014648, 2049, 2051, .infinity, -.infinity, .leastNormalMagnitude]

    @Test func bitsEqualSwiftsFloat16() {
        var generator = RandomGenerator(seed: 7)
        let random = Tensor.normal([4000], standardDeviation: 3, generator: &generator).scalars
        let tiny = Tensor.normal([2000], standardDeviation: 1e-5, generator: &generator).scalars
        for value in Self.edgeValues + random + tiny {
            #expect(SafeTensors.halfBits(value) == Float16(value).bitPattern, "value \(value)")
        }
        #expect(Float16(bitPattern: SafeTensors.halfBits(.nan)).isNaN)
    }

    @Test func writtenFileReadsBack() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("half-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let values: [Float] = [0.1, -2.5, 1000.25, 3e-6, 7, -0.0001]
        try SafeTensors.writeHalfPrecision(["w": Tensor(shape: [2, 3], values: values)], metadata: ["a": "b"], to: url)
        let file = try SafeTensorsFile(contentsOf: url)
        let read = try file.tensor(named: "w")
        #expect(read.shape == [2, 3])
        #expect(read.scalars == values.map { Float(Float16($0)) })
        #expect(file.metadata["a"] == "b")
    }
}
