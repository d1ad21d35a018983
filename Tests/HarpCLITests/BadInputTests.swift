import Foundation
import Testing

/// Every malformed input gets exactly one `harp: error: <file>: <what>` line on stderr and a
/// non-zero exit, from both `info` and `convert`; nothing is written.
@Suite(.enabled(if: HarpBinary.path != nil, "skipped: build the harp executable first (swift build)"))
struct BadInputTests {
    let folder: String

    init() throws { folder = try HarpBinary.makeTemporaryFolder() }

    private var sine: [UInt8] { WAVBytes.sine(frameCount: 1000, channelCount: 1, sampleRate: 8000) }

    /// Writes `bytes` (if any) as `name`, runs info and convert on it, and checks the one-line contract.
    private func expectOneLineFailure(_ name: String, bytes: [UInt8]?, mentioning words: String) throws {
        let path = folder + "/" + name
        if let bytes { try WAVBytes.write(bytes, to: path) }
        for arguments in [["info", path], ["convert", path, folder + "/out.wav"]] {
            let run = try HarpBinary.run(arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.errorLines.count == 1, "\(arguments): \(run.standardError)")
            #expect(run.standardError.hasPrefix("harp: error: \(path): "), "\(run.standardError)")
            #expect(run.standardError.contains(words), "\(run.standardError)")
            #expect(run.status < 128, "crashed: \(run.status)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.wav"))
    }

    @Test func missingFile() throws {
        try expectOneLineFailure("missing.wav", bytes: nil, mentioning: "no such file")
    }

    @Test func directory() throws {
        try FileManager.default.createDirectory(atPath: folder + "/dir.wav", withIntermediateDirectories: true)
        try expectOneLineFailure("dir.wav", bytes: nil, mentioning: "is a directory")
    }

    @Test func emptyFile() throws {
        try expectOneLineFailure("empty.wav", bytes: [], mentioning: "empty")
    }

    @Test func truncatedWAV() throws {
        let whole = WAVBytes.make(channelCount: 1, sampleRate: 8000, bitsPerSample: 16, payload: sine)
        try expectOneLineFailure("truncated.wav", bytes: Array(whole.prefix(1000)), mentioning: "truncated")
    }

    @Test func randomBytesNamedWAV() throws {
        var state: UInt64 = 42
        let bytes = (0..<8192).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        try expectOneLineFailure("random.wav", bytes: bytes, mentioning: "cannot read audio")
    }

    @Test func headerClaimingGigabytes() throws {
        try expectOneLineFailure("huge.wav", bytes: WAVBytes.make(channelCount: 2, sampleRate: 44100, bitsPerSample: 16,
                                                                   payload: sine, declaredDataSize: 0xFFFF_FFF0),
                                 mentioning: "truncated")
    }

    @Test func zeroChannels() throws {
        try expectOneLineFailure("mute.wav", bytes: WAVBytes.make(channelCount: 0, sampleRate: 8000, bitsPerSample: 16,
                                                                   payload: sine),
                                 mentioning: "unsupported channel count 0")
    }

    @Test func zeroHertzHeader() throws {
        try expectOneLineFailure("zero-hz.wav", bytes: WAVBytes.make(channelCount: 1, sampleRate: 0, bitsPerSample: 16,
                                                                      payload: sine),
                                 mentioning: "unsupported sample rate 0 Hz")
    }

    @Test func nonFiniteSamples() throws {
        let bytes = WAVBytes.make(formatTag: 3, channelCount: 1, sampleRate: 8000, bitsPerSample: 32,
                                  payload: WAVBytes.float32([0.5, .nan, 0.25, -.infinity]))
        try expectOneLineFailure("nan.wav", bytes: bytes, mentioning: "non-finite (NaN/Inf)")
    }
}
