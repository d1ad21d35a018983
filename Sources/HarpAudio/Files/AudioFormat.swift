import CSndFile

/// A file's container and how its samples are encoded.
public struct AudioFormat: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The file type (libsndfile's "major format").
    public enum Container: String, Sendable, CaseIterable {
        case wav, flac, ogg, mp3, aiff, caf, w64, rf64, other
    }

    /// The sample encoding (libsndfile's "subtype").
    public enum SampleEncoding: String, Sendable, CaseIterable {
        case pcm8, pcm16, pcm24, pcm32, float32, float64, vorbis, opus, mpeg, other

        /// Whether decoding returns exactly the stored samples (so a header's frame count is exact).
        public var isLossless: Bool {
            switch self {
            case .pcm8, .pcm16, .pcm24, .pcm32, .float32, .float64: return true
            case .vorbis, .opus, .mpeg, .other: return false
            }
        }
    }

    public var container: Container
    public var encoding: SampleEncoding

    public init(container: Container, encoding: SampleEncoding) {
        self.container = container
        self.encoding = encoding
    }

    /// Sample rates Harp accepts anywhere, in Hz. 768 kHz is the highest rate in common converters.
    public static let supportedSampleRates: ClosedRange<Int> = 1...768_000
    /// Most channels Harp accepts; far above any real layout, low enough to bound chunk buffers.
    public static let maximumChannelCount = 256

    public var description: String { "\(container.rawValue.uppercased()) \(encoding.rawValue)" }

    /// Throws `unsupportedSampleRate` unless `sampleRate` is in `supportedSampleRates`.
    public static func validate(sampleRate: Int, path: String? = nil) throws {
        guard supportedSampleRates.contains(sampleRate) else {
            throw AudioError.unsupportedSampleRate(path: path, sampleRate: sampleRate)
        }
    }
}

// MARK: - Writing

extension AudioFormat {
    /// The output format implied by a path's extension (`.wav` or `.flac`) and an optional encoding.
    ///
    /// Without an encoding, a lossless input encoding is kept where the container can store it;
    /// otherwise WAV gets 32-bit float and FLAC 24-bit.
    public static func forWriting(path: String, encoding: SampleEncoding?,
                                  inputEncoding: SampleEncoding? = nil) throws -> AudioFormat {
        let ext = path.split(separator: "/").last.flatMap { name in
            name.contains(".") ? name.split(separator: ".").last.map { $0.lowercased() } : nil
        }
        let container: Container
        switch ext {
        case "wav": container = .wav
        case "flac": container = .flac
        default:
            throw AudioError.unsupportedOutputFormat(
                path: path, reason: "output must end in .wav or .flac (got \(ext.map { "." + $0 } ?? "no extension"))")
        }
        let chosen = encoding ?? defaultEncoding(for: container, input: inputEncoding)
        let format = AudioFormat(container: container, encoding: chosen)
        guard format.writableSndfileFormat != nil else {
            throw AudioError.unsupportedOutputFormat(
                path: path, reason: "\(container.rawValue.uppercased()) cannot store \(chosen.rawValue) samples"
                    + (container == .flac ? " (use 16 or 24 bits)" : " (use 16, 24 or 32f)"))
        }
        return format
    }

    private static func defaultEncoding(for container: Container, input: SampleEncoding?) -> SampleEncoding {
        switch (container, input) {
        case (_, .pcm16?): return .pcm16
        case (_, .pcm24?): return .pcm24
        case (.flac, _): return .pcm24
        default: return .float32
        }
    }

    /// The libsndfile format word for the formats Harp writes: WAV 16/24-bit int or 32-bit float, FLAC 16/24-bit.
    var writableSndfileFormat: Int32? {
        switch (container, encoding) {
        case (.wav, .pcm16): return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
        case (.wav, .pcm24): return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_24)
        case (.wav, .float32): return Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT)
        case (.flac, .pcm16): return Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
        case (.flac, .pcm24): return Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_24)
        default: return nil
        }
    }
}

// MARK: - Reading

extension AudioFormat {
    /// Decodes libsndfile's format word (major type | subtype).
    init(sndfileFormat format: Int32) {
        let major = Int(format) & Int(SF_FORMAT_TYPEMASK)
        let minor = Int(format) & Int(SF_FORMAT_SUBMASK)
        self.init(container: Self.container(major: major), encoding: Self.encoding(minor: minor))
    }

    private static func container(major: Int) -> Container {
        switch major {
        case Int(SF_FORMAT_WAV), Int(SF_FORMAT_WAVEX): return .wav
        case Int(SF_FORMAT_FLAC): return .flac
        case Int(SF_FORMAT_OGG): return .ogg
        case Int(SF_FORMAT_MPEG): return .mp3
        case Int(SF_FORMAT_AIFF): return .aiff
        case Int(SF_FORMAT_CAF): return .caf
        case Int(SF_FORMAT_W64): return .w64
        case Int(SF_FORMAT_RF64): return .rf64
        default: return .other
        }
    }

    private static func encoding(minor: Int) -> SampleEncoding {
        switch minor {
        case Int(SF_FORMAT_PCM_S8), Int(SF_FORMAT_PCM_U8): return .pcm8
        case Int(SF_FORMAT_PCM_16): return .pcm16
        case Int(SF_FORMAT_PCM_24): return .pcm24
        case Int(SF_FORMAT_PCM_32): return .pcm32
        case Int(SF_FORMAT_FLOAT): return .float32
        case Int(SF_FORMAT_DOUBLE): return .float64
        case Int(SF_FORMAT_VORBIS): return .vorbis
        case Int(SF_FORMAT_OPUS): return .opus
        case Int(SF_FORMAT_MPEG_LAYER_I), Int(SF_FORMAT_MPEG_LAYER_II), Int(SF_FORMAT_MPEG_LAYER_III):
            return .mpeg
        default: return .other
        }
    }
}
