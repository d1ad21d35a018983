import Foundation
import HarpTensor

/// Latents and noise on disk: `.npy` arrays of float32 (`<f4`, what the package's `encode` returns
/// as NumPy) or float64 (`<f8`). Integer or half-precision arrays are refused rather than silently
/// converted: they are not latents.
public enum LatentFile {
    static let acceptedTypes = ["<f4", "<f8"]

    /// What a file holds, for its error messages.
    public enum Content: Sendable { case latents, noise }

    /// The array in `url` after checking its element type.
    public static func read(_ url: URL, as content: Content = .latents) throws -> Tensor {
        func failure(_ detail: String) -> LatentError {
            content == .latents ? .invalidLatents(detail) : .invalidNoise(detail)
        }
        guard let handle = try? FileHandle(forReadingFrom: url) else { throw failure("cannot open \(url.path)") }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        try? handle.close()
        if let type = elementType(in: head), !acceptedTypes.contains(type) {
            throw failure("dtype \(type); expected float32 (<f4) as music2latent writes")
        }
        return try NPY.read(contentsOf: url)
    }

    /// The `descr` of a `.npy` header (`'<f4'`), or `nil` when the bytes hold none.
    static func elementType(in head: Data) -> String? {
        guard let text = String(data: head.prefix(4096), encoding: .isoLatin1),
              let key = text.range(of: "'descr':") else { return nil }
        let rest = text[key.upperBound...].drop(while: { $0 == " " })
        guard let quote = rest.first, quote == "'" || quote == "\"" else { return nil }
        return String(rest.dropFirst().prefix(while: { $0 != quote }))
    }

    /// Writes `tensor` as float32 `.npy` to `url`, atomically.
    public static func write(_ tensor: Tensor, to url: URL) throws {
        try NPY.write(tensor, to: url)
    }
}
