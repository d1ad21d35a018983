import Foundation
import HarpAudio
import HarpCodec
import HarpTensor

/// A corpus tokenized once by a codec: one `.npy` of codes `[codebooks, frames]` (int64) per
/// source file and an `index.tsv` (file, category, caption, frames, token file), in a folder
/// outside the work tree.
///
/// Building reads each file in blocks, mixes it to mono and resamples it to the codec's rate, and
/// encodes it in segments of `segmentSeconds` (so memory stays bounded by a segment however long
/// the file). A token file is written under a temporary name and renamed, and its name is a
/// fingerprint of the source (path, size, modification time), the codec's weights and the
/// bandwidth, so an interrupted build continues where it stopped and a changed file is redone.
public struct TokenCache {
    /// One tokenized file.
    public struct Entry: Sendable, Equatable {
        public var relativePath: String
        public var category: String
        public var caption: String
        public var frameCount: Int
        public var tokenFile: String
    }

    public static let indexFileName = "index.tsv"
    public let folder: URL
    public var entries: [Entry]

    /// Reads the index a build wrote.
    public static func open(folder: URL) throws(GenerateError) -> TokenCache {
        let url = folder.appendingPathComponent(indexFileName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw .missingFile(folder: folder.path, file: "\(indexFileName) (tokenize the corpus first)")
        }
        var entries: [Entry] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5, let frames = Int(fields[3]) else {
                throw .malformedConfiguration(file: url.path, reason: "a line is not file, category, caption, frames, tokens")
            }
            entries.append(Entry(relativePath: fields[0], category: fields[1], caption: fields[2], frameCount: frames, tokenFile: fields[4]))
        }
        return TokenCache(folder: folder, entries: entries)
    }

    /// The codes of `entry`, `[codebooks, frames]`.
    public func codes(of entry: Entry) throws(GenerateError) -> IntTensor {
        let url = folder.appendingPathComponent("tokens").appendingPathComponent(entry.tokenFile)
        do { return try NPY.readIntegers(contentsOf: url) } catch {
            throw .unreadableWeights(file: url.path, reason: error.description)
        }
    }
}

/// Tokenizes audio files into a `TokenCache` (see there).
public struct TokenCacheBuilder {
    public var codec: any NeuralCodec
    public var bandwidth: Double
    public var segmentSeconds = 60.0
    /// Files shorter than this many code frames are skipped.
    public var minimumFrameCount = 8

    public init(codec: any NeuralCodec, bandwidth: Double) {
        self.codec = codec
        self.bandwidth = bandwidth
    }

    /// Tokenizes `sources` into `folder` (skipping files already there) and writes the index.
    /// - Parameters:
    ///   - progress: after each file: (files done, files in all, frames of audio tokenized this run).
    ///   - warning: a file that could not be read, and why (it is left out).
    /// - Throws: `GenerateError.cancelled` when `isCancelled` turns true (whole files stay).
    public func build(_ sources: [CorpusFile], into folder: URL, progress: (Int, Int, Int) -> Void = { _, _, _ in },
                      warning: (String) -> Void = { _ in }, isCancelled: () -> Bool = { false }) throws -> TokenCache {
        let tokens = folder.appendingPathComponent("tokens")
        try FileManager.default.createDirectory(at: tokens, withIntermediateDirectories: true)
        var entries: [TokenCache.Entry] = []
        var framesThisRun = 0
        for (index, source) in sources.enumerated() {
            if isCancelled() { throw GenerateError.cancelled }
            let name = tokenFileName(source)
            let url = tokens.appendingPathComponent(name)
            var frames: Int?
            if let existing = try? NPY.readIntegers(contentsOf: url) {
                frames = existing.shape[1]
            } else {
                do {
                    let codes = try encode(source.path)
                    if codes.shape[1] >= minimumFrameCount { try NPY.write(codes, to: url) }
                    frames = codes.shape[1]
                    framesThisRun += codes.shape[1]
                } catch {
                    warning("\(source.path): \(error)")
                }
            }
            if let frames, frames >= minimumFrameCount {
                entries.append(TokenCache.Entry(relativePath: source.relativePath, category: source.category,
                                                caption: source.caption, frameCount: frames, tokenFile: name))
            }
            progress(index + 1, sources.count, framesThisRun)
        }
        let index = ["file\tcategory\tcaption\tframes\ttokens"] + entries.map {
            [$0.relativePath, $0.category, $0.caption, String($0.frameCount), $0.tokenFile]
                .map { $0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
                .joined(separator: "\t")
        }
        try Data((index.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent(TokenCache.indexFileName), options: .atomic)
        return TokenCache(folder: folder, entries: entries)
    }

    /// The codes of one file, `[codebooks, frames]`.
    func encode(_ path: String) throws -> IntTensor {
        let reader = try AudioFileReader(path: path)
        let mixing = ChannelMixing.converting(from: reader.channelCount, to: 1)
        let resampler = try Resampler(inputSampleRate: reader.sampleRate, outputSampleRate: codec.sampleRate, channelCount: 1)
        let segment = Int(segmentSeconds * Double(codec.sampleRate))
        var pending: [Float] = []
        var pieces: [IntTensor] = []
        func encodeSegment(_ samples: ArraySlice<Float>) throws {
            guard samples.allSatisfy(\.isFinite) else { throw GenerateError.badInput("holds NaN or infinite samples") }
            let encoded = try withoutGradients { try codec.encode(Tensor(shape: [1, samples.count], values: Array(samples)), bandwidth: bandwidth) }
            pieces.append(encoded.codes.reshaped([encoded.codes.shape[1], encoded.codes.shape[2]]))
        }
        while let chunk = try reader.read(maxFrameCount: 1 << 16) {
            pending += resampler.process(mixing.applied(to: chunk)).samples
            while pending.count >= segment {
                try encodeSegment(pending[..<segment])
                pending.removeFirst(segment)
            }
        }
        pending += resampler.flush().samples
        let frameSamples = Int(Double(codec.sampleRate) / codec.frameRate)
        if pending.count >= frameSamples { try encodeSegment(pending[...]) }
        return Self.joined(pieces)
    }

    /// Pieces `[codebooks, framesᵢ]` side by side: `[codebooks, Σ framesᵢ]`.
    static func joined(_ pieces: [IntTensor]) -> IntTensor {
        guard let first = pieces.first else { return IntTensor(repeating: 0, shape: [1, 0]) }
        let codebooks = first.shape[0]
        let total = pieces.reduce(0) { $0 + $1.shape[1] }
        var result = IntTensor(repeating: 0, shape: [codebooks, total])
        var start = 0
        for piece in pieces {
            for k in 0..<codebooks {
                for f in 0..<piece.shape[1] { result[k, start + f] = piece[k, f] }
            }
            start += piece.shape[1]
        }
        return result
    }

    /// `<fingerprint>.npy` of the source's path, size and modification time, the codec and bandwidth.
    func tokenFileName(_ source: CorpusFile) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: source.path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let key = "\(source.path)|\(size)|\(modified)|\(codec.identity.weightsHash)|\(bandwidth)"
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325   // FNV-1a
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(format: "%016llx.npy", hash)
    }
}
