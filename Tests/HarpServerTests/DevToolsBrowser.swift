import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium driven over the DevTools protocol through a pipe (`--remote-debugging-pipe`):
/// commands are JSON objects, each ended by a NUL byte, written to the browser's fd 3; answers and
/// events come back the same way on its fd 4. No WebSocket client is needed.
/// ref: https://chromedevtools.github.io/devtools-protocol/ (Target, Page, Runtime, Input, Browser)
final class DevToolsBrowser: @unchecked Sendable {
    /// A JSON object from the protocol.
    struct Message: @unchecked Sendable {
        let object: [String: Any]
        subscript(key: String) -> Any? { object[key] }
    }

    struct ProtocolError: Error, CustomStringConvertible { let description: String }

    let processIdentifier: pid_t
    private let commands: Int32   // our end of the browser's fd 3
    private let answers: Int32    // our end of the browser's fd 4
    private let lock = NSLock()
    private var nextIdentifier = 0
    private var waiting: [Int: CheckedContinuation<Message, Error>] = [:]
    private var received: [Message] = []
    private var closed = false

    /// Starts the browser (headless, no sandbox, a throwaway profile) on about:blank.
    init(extraArguments: [String] = []) throws {
        guard let path = Chromium.path else { throw ProtocolError(description: Chromium.skipReason) }
        let profile = try TestInstrument.makeFolder()
        let arguments = [path, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                         "--disable-extensions", "--user-data-dir=\(profile.path)", "--remote-debugging-pipe"]
            + extraArguments + ["about:blank"]
        var toBrowser: [Int32] = [0, 0], fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else { throw ProtocolError(description: "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toBrowser[0], 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser[1], 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) // D-Bus complaints are harmless
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, nil, argv, environ)
        close(toBrowser[0])
        close(fromBrowser[1])
        guard status == 0 else { throw ProtocolError(description: "could not start \(path): \(status)") }
        processIdentifier = pid
        commands = toBrowser[1]
        answers = fromBrowser[0]
        let reader = Thread { [self] in readAnswers() }
        reader.name = "DevTools pipe"
        reader.start()
    }

    /// Sends a command and waits (at most `seconds`) for its answer's `result`.
    @discardableResult
    func send(_ method: String, _ parameters: [String: Any] = [:], session: String? = nil, seconds: Double = 60) async throws -> Message {
        var command: [String: Any] = ["method": method, "params": parameters]
        if let session { command["sessionId"] = session }
        let answer = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Message, Error>) in
            let identifier: Int = lock.withLock {
                nextIdentifier += 1
                if closed { return -1 }
                waiting[nextIdentifier] = continuation
                return nextIdentifier
            }
            guard identifier > 0 else {
                continuation.resume(throwing: ProtocolError(description: "the browser has exited"))
                return
            }
            command["id"] = identifier
            var bytes = (try? JSONSerialization.data(withJSONObject: command)) ?? Data()
            bytes.append(0)
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(commands, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
                let late = lock.withLock { waiting.removeValue(forKey: identifier) }
                late?.resume(throwing: ProtocolError(description: "\(method): no answer within \(seconds) s"))
            }
        }
        if let error = answer["error"] { throw ProtocolError(description: "\(method): \(error)") }
        return Message(object: answer["result"] as? [String: Any] ?? [:])
    }

    /// Events received so far (`method`, `params`, `sessionId`), oldest first.
    func events(named method: String) -> [Message] {
        lock.withLock { received.filter { $0["method"] as? String == method } }
    }

    /// Ends the browser (by its process id) and waits for it.
    func stop() {
        lock.withLock { closed = true }
        kill(processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        var status: Int32 = 0
        while waitpid(processIdentifier, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(processIdentifier, SIGKILL)
                waitpid(processIdentifier, &status, 0)
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        close(commands)
    }

    /// Splits the answer stream at NUL bytes; answers wake their command, events are kept.
    private func readAnswers() {
        var pending = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(answers, &buffer, buffer.count)
            if count <= 0 { break }
            pending.append(contentsOf: buffer[0..<count])
            while let end = pending.firstIndex(of: 0) {
                let bytes = pending[pending.startIndex..<end]
                pending = Data(pending[(end + 1)...])
                guard let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any] else { continue }
                let message = Message(object: object)
                if let identifier = object["id"] as? Int {
                    let continuation = lock.withLock { waiting.removeValue(forKey: identifier) }
                    continuation?.resume(returning: message)
                } else {
                    lock.withLock { received.append(message) }
                }
            }
        }
        close(answers)
        let orphans: [CheckedContinuation<Message, Error>] = lock.withLock {
            closed = true
            defer { waiting.removeAll() }
            return Array(waiting.values)
        }
        for continuation in orphans { continuation.resume(throwing: ProtocolError(description: "the browser has exited")) }
    }
}
