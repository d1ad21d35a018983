import Foundation
import HarpNN
import HarpTensor

/// An EnCodec-style codec that trains (seed 003's SoundStream family): SEANet encoder, residual
/// vector quantiser with EMA codebooks, SEANet decoder. Its state dict has the names of
/// `transformers`' `EncodecModel`, so `export(to:)` writes a folder that `CodecLoader` — and
/// `transformers` — load like a published EnCodec.
///
/// ref: facebookresearch/encodec `encodec/model.py`, `modules/seanet.py`; huggingface/transformers
/// `models/encodec/modeling_encodec.py`; Zeghidour et al. 2021 (SoundStream).
public final class TrainableEncodec: Module {
    public let configuration: EncodecConfiguration
    let encoder: SEANetStack
    let decoder: SEANetStack
    public let quantizer: TrainableResidualQuantizer

    /// What one pass returns.
    public struct Output {
        /// `[batch, channels, samples]`, the input's length.
        public var reconstruction: Tensor
        /// The quantiser's commitment loss (differentiable with respect to the encoder).
        public var commitmentLoss: Tensor
        /// `[batch, stages, frames]`.
        public var codes: IntTensor
    }

    public init(configuration: EncodecConfiguration, generator: inout RandomGenerator) throws(CodecError) {
        try configuration.validate()
        guard configuration.chunkLengthSeconds == nil, !configuration.normalize else {
            throw .unsupportedConfiguration("a trainable codec encodes whole files (no chunk_length_s, no normalize)")
        }
        self.configuration = configuration
        encoder = SEANetStack.encoder(configuration, generator: &generator)
        decoder = SEANetStack.decoder(configuration, generator: &generator)
        quantizer = TrainableResidualQuantizer(
            stageCount: configuration.maximumQuantizerCount, codebookSize: configuration.codebookSize,
            dimension: configuration.quantizerDimension, generator: &generator)
        super.init()
    }

    /// Codebooks used at each of the configuration's bandwidths, lowest first.
    public var stageCounts: [Int] {
        configuration.targetBandwidths.sorted().map {
            min(configuration.quantizerCount(bandwidth: $0), configuration.maximumQuantizerCount)
        }
    }

    /// Encodes `audio [batch, channels, samples]`, quantises with `stageCount` stages and decodes.
    /// - Parameter updatesCodebooks: the training pass (EMA updates, dead-code restarts).
    public func callAsFunction(_ audio: Tensor, stageCount: Int, updatesCodebooks: Bool,
                               generator: inout RandomGenerator) -> Output {
        let embeddings = encoder(audio)
        let quantized = quantizer(embeddings, stageCount: stageCount, updatesCodebooks: updatesCodebooks,
                                  generator: &generator)
        let decoded = decoder(quantized.quantized)
        let reconstruction = decoded.sliced(alongAxis: 2, end: audio.shape[2])
        return Output(reconstruction: reconstruction, commitmentLoss: quantized.commitmentLoss, codes: quantized.codes)
    }

    /// The encoder's output `[batch, hidden, frames]` (for tests and inspection).
    func encode(_ audio: Tensor) -> Tensor { encoder(audio) }

    /// The decoder's output for embeddings `[batch, hidden, frames]`.
    func decode(embeddings: Tensor) -> Tensor { decoder(embeddings) }

    /// Writes `config.json` (with `model_type: encodec`) and `model.safetensors` into `folder`,
    /// each atomically: the weights inference needs (not the codebooks' running statistics), in
    /// half precision when `halfPrecision` (half the size; a shipped model).
    public func export(to folder: URL, halfPrecision: Bool = false) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let weights = stateDict().filter { !Self.isTrainingStatistic($0.key) }
        let url = folder.appendingPathComponent("model.safetensors")
        if halfPrecision {
            try SafeTensors.writeHalfPrecision(weights, metadata: ["format": "pt"], to: url)
        } else {
            try SafeTensors.write(weights, metadata: ["format": "pt"], to: url)
        }
        try Self.configurationJSON(configuration).write(to: folder.appendingPathComponent("config.json"),
                                                        options: .atomic)
    }

    /// The codebooks' EMA statistics, which only training reads.
    static func isTrainingStatistic(_ key: String) -> Bool {
        key.hasSuffix(".codebook.cluster_size") || key.hasSuffix(".codebook.embed_avg") || key.hasSuffix(".codebook.inited")
    }

    /// The configuration as `transformers` writes it, with `model_type` and the architecture name.
    static func configurationJSON(_ configuration: EncodecConfiguration) throws -> Data {
        let encoded = try JSONEncoder().encode(configuration)
        guard var object = try JSONSerialization.jsonObject(with: encoded) as? [String: Any] else { return encoded }
        object["model_type"] = "encodec"
        object["architectures"] = ["EncodecModel"]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return Data(floatFieldsWritten(String(decoding: data, as: UTF8.self)).utf8)
    }

    /// `JSONSerialization` writes 3.0 as `3`; `transformers` checks that `target_bandwidths` and
    /// `trim_right_ratio` are floats, so whole numbers there get their `.0` back.
    static func floatFieldsWritten(_ json: String) -> String {
        var lines: [String] = []
        var inBandwidths = false
        for line in json.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            var current = line
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("\"target_bandwidths\"") { inBandwidths = true }
            let isWhole = { (text: String) in Int(text) != nil }
            if inBandwidths, trimmed != "]", trimmed != "],", !trimmed.hasPrefix("\"") {
                let number = trimmed.hasSuffix(",") ? String(trimmed.dropLast()) : trimmed
                if isWhole(number) { current = line.replacingOccurrences(of: number, with: number + ".0") }
            }
            if trimmed.hasPrefix("]") { inBandwidths = false }
            if trimmed.hasPrefix("\"trim_right_ratio\"") {
                let value = trimmed.split(separator: ":").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " ,")) } ?? ""
                if isWhole(value) { current = line.replacingOccurrences(of: ": \(value)", with: ": \(value).0") }
            }
            lines.append(current)
        }
        return lines.joined(separator: "\n")
    }
}
