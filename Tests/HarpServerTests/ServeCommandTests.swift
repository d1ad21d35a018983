import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `harp serve` end to end: it prints its address, answers on it, refuses to start with nothing
/// to serve, and stops on Ctrl-C (SIGINT).
@Suite(.enabled(if: HarpExecutable.path != nil, "skipped: build the harp executable first (swift build)"))
struct ServeCommandTests {
    static var harp: String? { HarpExecutable.path }

    @Test(.timeLimit(.minutes(1)))
    func servesOnLoopbackAndStopsOnInterrupt() async throws {
        let folder = try TestInstrument.makeFolder()
        try TestInstrument.write(named: "bell", in: folder)
        let output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.harp!)
        process.arguments = ["serve", folder.path, "--port", "0"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let line = try Self.firstLine(of: output, containing: "http://127.0.0.1:")
        let address = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") }).description
        let (data, response) = try await URLSession.shared.data(from: URL(string: address + "play/bell")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self).contains("id=\"pad\""))
        kill(process.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "harp serve should stop on SIGINT")
    }

    @Test func nothingToServeIsAOneLineError() throws {
        let folder = try TestInstrument.makeFolder()
        let errors = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.harp!)
        process.arguments = ["serve", folder.path, "--port", "0"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus != 0)
        #expect(text.hasPrefix("harp: error: no instruments to serve"), "\(text)")
    }

    /// Reads `pipe` until a line containing `marker` (at most 30 s).
    private static func firstLine(of pipe: Pipe, containing marker: String) throws -> String {
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.contains(marker) }) { return String(line) }
        }
        throw CocoaError(.fileReadUnknown)
    }
}

/// The `harp` executable built beside the test bundle (searched up to four folders up).
enum HarpExecutable {
    static let path: String? = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("harp").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }()
}
