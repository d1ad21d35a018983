import Foundation
import HarpTensor
@testable import HarpDenoise

/// One case made by `tools/make_denoise_fixtures.py`: libDF's own runtime on a noisy clip.
struct DenoiseFixture {
    let name: String
    let noisy: [Float]
    let clean: [Float]
    let enhanced: [Float]
    let localSNR: [Float]
    let attenuationLimitDecibels: Float?
    let postFilterBeta: Float

    static let names = ["speech_white_5db", "speech_pink_0db", "speech_vinyl_5db_postfilter",
                        "speech_pink_10db_limit12", "flute_white_10db", "speech_white_10db_gap"]

    init(_ name: String) throws {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("denoise/\(name).safetensors")
        let file = try SafeTensorsFile(contentsOf: url)
        self.name = name
        noisy = try file.tensor(named: "noisy").scalars
        clean = try file.tensor(named: "clean").scalars
        enhanced = try file.tensor(named: "enhanced").scalars
        localSNR = try file.tensor(named: "lsnr").scalars
        let limit = Float(file.metadata["atten_lim_db"] ?? "100") ?? 100
        attenuationLimitDecibels = limit >= 100 ? nil : limit
        postFilterBeta = Float(file.metadata["post_filter_beta"] ?? "0") ?? 0
    }

    func model() throws -> DeepFilterNet3 {
        try DeepFilterNet3(weights: Self.weights, attenuationLimitDecibels: attenuationLimitDecibels,
                           postFilterBeta: postFilterBeta)
    }

    nonisolated(unsafe) static let weights: DeepFilterNetWeights = try! DeepFilterNetWeights.bundled()
}

/// `10 · log10(Σ (a − b)² / Σ b²)`: how far below `b` the difference is (dB).
func differenceDecibels(_ a: [Float], _ b: [Float]) -> Double {
    var error = 0.0, energy = 0.0
    for (x, y) in zip(a, b) {
        error += Double(x - y) * Double(x - y)
        energy += Double(y) * Double(y)
    }
    return 10 * log10(error / max(energy, 1e-30))
}
