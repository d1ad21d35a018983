import Foundation

/// Runs a reference script (PyTorch and friends) in a child process and reads the JSON object it
/// prints last. Benchmarks use it to measure the reference in the same run as Harp.
enum ReferenceRunner {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The interpreter: the explicit one, else $HARP_PYTHON, else `python3` on the PATH.
    static func interpreter(_ explicit: String?) -> String {
        explicit ?? ProcessInfo.processInfo.environment["HARP_PYTHON"] ?? "python3"
    }

    static func run(python: String?, script: String, arguments: [String]) -> Result<[String: Any], Failure> {
        guard FileManager.default.fileExists(atPath: script) else {
            return .failure(Failure(description: "\(script) not found (run from the repository root)"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [interpreter(python), script] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            return .failure(Failure(description: "cannot start \(interpreter(python)): \(error.localizedDescription)"))
        }
        // stderr is drained on its own thread: a reference that logs more than a pipe holds
        // would otherwise block while this reads stdout.
        let errorData = DrainedPipe(errors)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errorData.wait(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let last = errorText.split(separator: "\n").last.map(String.init) ?? "exit \(process.terminationStatus)"
            return .failure(Failure(description: "reference failed: \(last)"))
        }
        // The script prints one JSON object (possibly after log lines): parse from the first '{'.
        let text = String(decoding: data, as: UTF8.self)
        guard let start = text.firstIndex(of: "{"),
              let object = try? JSONSerialization.jsonObject(with: Data(text[start...].utf8)) as? [String: Any] else {
            return .failure(Failure(description: "reference printed no JSON object"))
        }
        return .success(object)
    }
}

/// Reads a pipe to its end on a background thread.
private final class DrainedPipe: @unchecked Sendable {
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
