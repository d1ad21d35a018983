import Foundation
import HarpAudio

/// Temporary folders, fixture paths and hand-made (possibly malformed) WAV files for the tests.
enum TestFiles {
    /// A fresh folder under the system temporary directory.
    static func makeTemporaryFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("harp-audio-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name).path
    }

    /// The repository root, found from this source file's location.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `/work/shared/audio` when the repository sits in `/work/<worktree>`: `../shared/audio` from the root.
    static var sharedAudioFolder: String {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/audio").path
    }

    static func files(in folder: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder))?.sorted() ?? []
    }

    /// A canonical RIFF/WAVE file: `fmt ` then `data`, with every header field overridable.
    static func wavBytes(formatTag: UInt16 = 1, channelCount: UInt16, sampleRate: UInt32,
                         bitsPerSample: UInt16, payload: [UInt8], declaredDataSize: UInt32? = nil) -> [UInt8] {
        let blockAlign = UInt16(max(1, Int(channelCount) * Int(bitsPerSample) / 8))
        var bytes = Array("RIFF".utf8) + le32(UInt32(36 + payload.count)) + Array("WAVE".utf8)
        bytes += Array("fmt ".utf8) + le32(16) + le16(formatTag) + le16(channelCount) + le32(sampleRate)
        bytes += le32(sampleRate * UInt32(blockAlign)) + le16(blockAlign) + le16(bitsPerSample)
        bytes += Array("data".utf8) + le32(declaredDataSize ?? UInt32(payload.count)) + payload
        return bytes
    }

    /// 16-bit PCM payload of a sine, interleaved across `channelCount` identical channels.
    static func sinePCM16(frameCount: Int, channelCount: Int, frequencyHz: Double, sampleRate: Int) -> [UInt8] {
        var bytes = [UInt8]()
        for frame in 0..<frameCount {
            let value = Int16(0.5 * 32767 * sin(2 * Double.pi * frequencyHz * Double(frame) / Double(sampleRate)))
            for _ in 0..<channelCount { bytes += le16(UInt16(bitPattern: value)) }
        }
        return bytes
    }

    /// 32-bit float payload.
    static func float32Payload(_ values: [Float]) -> [UInt8] {
        values.flatMap { le32($0.bitPattern) }
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}

/// Signals for tests.
enum TestSignals {
    static func sine(frequencyHz: Double, sampleRate: Int, frameCount: Int, amplitude: Float = 0.5) -> [Float] {
        (0..<frameCount).map { amplitude * Float(sin(2 * Double.pi * frequencyHz * Double($0) / Double(sampleRate))) }
    }

    /// Deterministic noise in [-amplitude, amplitude] (a linear congruential generator).
    static func noise(count: Int, amplitude: Float = 0.8, seed: UInt64 = 1) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return amplitude * (Float(state >> 40) / Float(1 << 24) * 2 - 1)
        }
    }

    static func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}
