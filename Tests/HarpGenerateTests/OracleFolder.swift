import Foundation
import HarpTensor

/// The MusicGen reference folder the parity tests run on: the committed seed-0 oracle by
/// default, or any folder made by `make_oracles.py --seed N` named by `HARP_MUSICGEN_ORACLE`
/// (parity that holds for one seed only is not parity).
enum OracleFolder {
    static var url: URL {
        if let path = ProcessInfo.processInfo.environment["HARP_MUSICGEN_ORACLE"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("oracles/musicgen")
    }

    /// The oracle's inputs and reference outputs.
    static func io() throws -> SafeTensorsFile {
        try SafeTensorsFile(contentsOf: url.appendingPathComponent("io.safetensors"))
    }

    static var fixtures: URL { Bundle.module.url(forResource: "Fixtures", withExtension: nil)! }
}

/// `max|a − b| ≤ 1e-4·max(1, max|ref|)`, the oracles' tolerance for fp32 re-implementations.
func oracleTolerance(_ reference: Tensor) -> Float {
    1e-4 * max(1, reference.scalars.map(abs).max() ?? 0)
}
