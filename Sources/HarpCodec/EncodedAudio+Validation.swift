import HarpTensor

extension EncodedAudio {
    /// Bare codes `[chunks, codebooks, frames]` (from a `.npy` file, or a language model) checked
    /// against `codec`: every code inside the codebook, no more codebooks than the model has. The
    /// bandwidth follows from the codebook count; the length is taken as whole frames; there are
    /// no loudness scales.
    public init(codes: IntTensor, for codec: any NeuralCodec) throws(CodesMismatchError) {
        guard codes.rank == 3 else { throw .shape(codes.shape) }
        guard codes.count > 0 else { throw .empty }
        guard codes.shape[1] <= codec.maximumCodebookCount else {
            throw .tooManyCodebooks(codes.shape[1], maximum: codec.maximumCodebookCount)
        }
        if let range = codes.range, range.lowerBound < 0 || Int(range.upperBound) >= codec.codebookSize {
            let bad = range.lowerBound < 0 ? range.lowerBound : range.upperBound
            throw .outOfRange(Int(bad), codebookSize: codec.codebookSize)
        }
        let bits = Double(CodePacking.bitsPerCode(codebookSize: codec.codebookSize))
        let samplesPerFrame = Double(codec.sampleRate) / codec.frameRate
        self.init(codes: codes, scales: nil,
                  sampleCount: Int((Double(codes.shape[0] * codes.shape[2]) * samplesPerFrame).rounded()),
                  bandwidth: Double(codes.shape[1]) * bits * codec.frameRate / 1000)
    }
}

/// Why codes do not fit a codec; each description is one line.
public enum CodesMismatchError: Error, Equatable, CustomStringConvertible {
    case shape([Int])
    case empty
    case tooManyCodebooks(Int, maximum: Int)
    case outOfRange(Int, codebookSize: Int)

    public var description: String {
        switch self {
        case let .shape(shape):
            return "codes of shape \(shape): expected [chunks, codebooks, frames]"
        case .empty:
            return "there are no codes"
        case let .tooManyCodebooks(count, maximum):
            return "\(count) codebooks, but the model has \(maximum)"
        case let .outOfRange(value, codebookSize):
            return "code \(value) is outside the codebook (0..<\(codebookSize))"
        }
    }
}
