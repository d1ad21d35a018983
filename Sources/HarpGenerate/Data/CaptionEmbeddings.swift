import Foundation
import HarpTensor
import HarpText

/// MiniLM embeddings of a token cache's captions, computed once natively and kept beside the
/// cache (`captions.safetensors`: `embeddings [captions, 384]`, the caption texts in the metadata),
/// recomputed only when the set of captions changes.
public enum CaptionEmbeddings {
    public static let fileName = "captions.safetensors"

    /// One unit-length embedding per entry of `cache`, `[entries, width]`.
    /// - Parameter progress: (captions embedded, captions to embed) while computing.
    public static func load(for cache: TokenCache, encoder: SentenceEncoder,
                            progress: (Int, Int) -> Void = { _, _ in }) throws -> Tensor {
        let unique = Array(Set(cache.entries.map(\.caption))).sorted()
        let url = cache.folder.appendingPathComponent(fileName)
        var table: Tensor?
        if let file = try? SafeTensorsFile(contentsOf: url),
           let saved = file.metadata["harp.captions"].flatMap({ try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }),
           saved == unique, let tensor = try? file.tensor(named: "embeddings"), tensor.shape[0] == unique.count {
            table = tensor
        }
        if table == nil {
            var rows: [Tensor] = []
            for start in stride(from: 0, to: unique.count, by: 64) {
                rows.append(encoder.embed(Array(unique[start..<min(start + 64, unique.count)])))
                progress(min(start + 64, unique.count), unique.count)
            }
            let computed = rows.isEmpty ? Tensor.zeros([0, encoder.encoder.configuration.hiddenSize]) : Tensor.concatenated(rows, alongAxis: 0)
            let names = String(decoding: try JSONEncoder().encode(unique), as: UTF8.self)
            try SafeTensors.write(["embeddings": computed], metadata: ["harp.captions": names], to: url)
            table = computed
        }
        let row = Dictionary(uniqueKeysWithValues: unique.enumerated().map { ($1, $0) })
        return table!.gathered(indices: cache.entries.map { row[$0.caption]! }, alongAxis: 0)
    }
}
