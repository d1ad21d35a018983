import Foundation

/// What Harp needs from a SentencePiece `.model` file (a serialised `ModelProto`): the pieces
/// with their scores and kinds, the model type, byte fallback and the normaliser's precompiled
/// character map. Everything else in the file is skipped.
///
/// ref: google/sentencepiece `src/sentencepiece_model.proto` (field numbers).
struct SentencePieceModelFile {
    /// `SentencePiece.Type`.
    enum PieceKind: Int {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    struct Piece {
        var text: String
        var score: Float
        var kind: PieceKind
    }

    /// `TrainerSpec.ModelType`: 1 is unigram, the only kind Harp reads.
    static let unigramModelType: UInt64 = 1
    /// Far above any real vocabulary (T5's has 32,000 pieces); bounds what a hostile file can make us hold.
    static let maximumPieceCount = 2_000_000

    var pieces: [Piece] = []
    var modelType: UInt64 = unigramModelType
    var byteFallback = false
    /// `NormalizerSpec.precompiled_charsmap`; empty when the model does not normalise.
    var precompiledCharsMap: [UInt8] = []

    /// Parses `bytes`; `file` names the file in errors.
    init(bytes: [UInt8], file: String) throws(TokenizerError) {
        do {
            var reader = ProtobufReader(bytes[...])
            while !reader.isAtEnd {
                let (number, value) = try reader.nextField()
                switch (number, value) {
                case (1, .bytes(let message)):
                    guard pieces.count < Self.maximumPieceCount else {
                        throw ProtobufReader.Failure(reason: "more than \(Self.maximumPieceCount) pieces")
                    }
                    pieces.append(try Self.piece(message))
                case (2, .bytes(let message)): try readTrainerSpec(message)
                case (3, .bytes(let message)): try readNormalizerSpec(message)
                default: continue
                }
            }
        } catch let failure as ProtobufReader.Failure {
            throw .malformed(file: file, reason: failure.reason)
        } catch {
            throw .malformed(file: file, reason: "\(error)")
        }
        guard !pieces.isEmpty else { throw .malformed(file: file, reason: "no pieces") }
        guard modelType == Self.unigramModelType else {
            throw .unsupported(file: file, what: "SentencePiece model type \(modelType); only unigram (1) is read")
        }
    }

    private static func piece(_ message: ArraySlice<UInt8>) throws -> Piece {
        var reader = ProtobufReader(message)
        var piece = Piece(text: "", score: 0, kind: .normal)
        while !reader.isAtEnd {
            switch try reader.nextField() {
            case (1, .bytes(let text)):
                guard let string = String(validating: text, as: UTF8.self) else {
                    throw ProtobufReader.Failure(reason: "a piece is not UTF-8")
                }
                piece.text = string
            case (2, .fixed32(let bits)): piece.score = Float(bitPattern: bits)
            case (3, .varint(let kind)): piece.kind = PieceKind(rawValue: Int(truncatingIfNeeded: kind)) ?? .normal
            default: continue
            }
        }
        return piece
    }

    private mutating func readTrainerSpec(_ message: ArraySlice<UInt8>) throws {
        var reader = ProtobufReader(message)
        while !reader.isAtEnd {
            switch try reader.nextField() {
            case (3, .varint(let type)): modelType = type
            case (35, .varint(let flag)): byteFallback = flag != 0
            default: continue
            }
        }
    }

    private mutating func readNormalizerSpec(_ message: ArraySlice<UInt8>) throws {
        var reader = ProtobufReader(message)
        while !reader.isAtEnd {
            if case (2, .bytes(let map)) = try reader.nextField() { precompiledCharsMap = Array(map) }
        }
    }
}
