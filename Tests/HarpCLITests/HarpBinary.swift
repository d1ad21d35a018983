import Foundation

/// Runs the built `harp` executable and captures its output.
enum HarpBinary {
    struct Run {
        let status: Int32
        let standardOutput: String
        let standardError: String
        var errorLines: [Substring] { standardError.split(separator: "\n") }
    }

    /// The `harp` next to this test bundle: the products folder holds both, so search upward
    /// from the running test executable, then fall back to `.build/debug/harp` in the repository.
    static let path: String? = {
        let fileManager = FileManager.default
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("harp").path
            if fileManager.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        let fallback = repositoryRoot.appendingPathComponent(".build/debug/harp").path
        return fileManager.isExecutableFile(atPath: fallback) ? fallback : nil
    }()

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Runs harp with `arguments`, adding `environment` to this process's environment.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        guard let path else { throw CocoaError(.fileNoSuchFile) }
        return try run(executable: path, arguments, environment: environment)
    }

    /// Runs `executable` with `arguments` and captures its output.
    static func run(executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes before waiting, stderr on its own thread: a child that fills one pipe
        // (a long progress bar on stderr) while this reads the other would block forever.
        let errorReader = PipeReader(error)
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errorReader.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   standardOutput: String(decoding: outData, as: UTF8.self),
                   standardError: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `processes` copies of harp under Open MPI's `mpirun` (as root, where CI runs, and on
    /// more processes than cores if need be).
    static func runUnderMPI(_ mpirun: String, processes: Int, _ arguments: [String]) throws -> Run {
        guard let path else { throw CocoaError(.fileNoSuchFile) }
        return try run(executable: mpirun, ["--allow-run-as-root", "--oversubscribe", "-np", "\(processes)", path] + arguments)
    }

    /// A fresh temporary folder for one test.
    static func makeTemporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("harp-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Small WAV files written byte by byte, so the CLI tests need no fixtures.
enum WAVBytes {
    static func make(formatTag: UInt16 = 1, channelCount: UInt16, sampleRate: UInt32, bitsPerSample: UInt16,
                     payload: [UInt8], declaredDataSize: UInt32? = nil) -> [UInt8] {
        let blockAlign = UInt16(max(1, Int(channelCount) * Int(bitsPerSample) / 8))
        var bytes = Array("RIFF".utf8) + le32(UInt32(36 + payload.count)) + Array("WAVE".utf8)
        bytes += Array("fmt ".utf8) + le32(16) + le16(formatTag) + le16(channelCount) + le32(sampleRate)
        bytes += le32(sampleRate * UInt32(blockAlign)) + le16(blockAlign) + le16(bitsPerSample)
        bytes += Array("data".utf8) + le32(declaredDataSize ?? UInt32(payload.count)) + payload
        return bytes
    }

    /// A 16-bit sine of amplitude 0.5, identical on every channel.
    static func sine(frameCount: Int, channelCount: Int, sampleRate: Int, frequencyHz: Double = 440) -> [UInt8] {
        var bytes = [UInt8]()
        for frame in 0..<frameCount {
            let value = Int16(0.5 * 32767 * sin(2 * Double.pi * frequencyHz * Double(frame) / Double(sampleRate)))
            for _ in 0..<channelCount { bytes += le16(UInt16(bitPattern: value)) }
        }
        return bytes
    }

    static func float32(_ values: [Float]) -> [UInt8] { values.flatMap { le32($0.bitPattern) } }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}

/// Reads a pipe to its end on a background thread.
final class PipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        Thread.detachNewThread { [self] in
            data = pipe.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
    }

    /// Everything the pipe delivered, once the writer has closed it.
    func wait() -> Data {
        done.wait()
        return data
    }
}
