import Foundation

/// Debian's headless `chromium`, run as a child process and ended by its process id.
/// ref: /work/shared/BROWSER-TESTS.md (flags seen working with Chromium 156).
enum Chromium {
    /// The browser's path, or nil when it is not installed (browser tests then skip, saying so).
    /// `HARP_CHROMIUM` overrides the search (empty: behave as if it were not installed).
    static let path: String? = {
        if let chosen = ProcessInfo.processInfo.environment["HARP_CHROMIUM"] {
            return FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil
        }
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let skipReason = "skipped: chromium is not installed (apt-get install -y chromium, or run `make test`)"

    /// Common flags: headless, no sandbox (tests run as root in containers), no GPU, a throwaway profile.
    private static func baseArguments(profile: URL) -> [String] {
        ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
         "--disable-extensions", "--user-data-dir=\(profile.path)"]
    }

    /// Starts the browser on `url` and leaves it running (the page reports back to the server).
    static func open(_ url: String, extraArguments: [String] = []) throws -> Process {
        let profile = try TestInstrument.makeFolder()
        return try launch(baseArguments(profile: profile) + extraArguments + ["--remote-debugging-port=0", url])
    }

    /// Takes a screenshot of `url` into `file` and waits (at most `seconds`) for the browser to exit.
    static func screenshot(_ url: String, to file: URL, width: Int = 1280, height: Int = 900, seconds: Double = 60) throws {
        let profile = try TestInstrument.makeFolder()
        let process = try launch(baseArguments(profile: profile) + [
            "--screenshot=\(file.path)", "--window-size=\(width),\(height)", "--hide-scrollbars",
            "--virtual-time-budget=4000", url,
        ])
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { stop(process) }
    }

    /// Ends the browser started by this test (by its process id only).
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private static func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice // D-Bus complaints are harmless
        try process.run()
        return process
    }
}

/// Browser tests across suites (Swift Testing runs suites in parallel): a timing test runs alone —
/// other browsers competing for two cores would make its figures meaningless — while the others
/// may share the machine with each other. Turns are granted in the order asked.
actor BrowserTurn {
    private static let shared = BrowserTurn()
    private var sharing = 0
    private var alone = false
    private var waiting: [(exclusive: Bool, continuation: CheckedContinuation<Void, Never>)] = []

    /// Runs `body` when the machine is free for it: `exclusive` waits for every other browser test.
    static func run<T>(exclusive: Bool = false, _ body: () async throws -> T) async throws -> T {
        await shared.acquire(exclusive: exclusive)
        do {
            let result = try await body()
            await shared.release(exclusive: exclusive)
            return result
        } catch {
            await shared.release(exclusive: exclusive)
            throw error
        }
    }

    private func acquire(exclusive: Bool) async {
        if waiting.isEmpty && canStart(exclusive: exclusive) { start(exclusive: exclusive); return }
        await withCheckedContinuation { waiting.append((exclusive, $0)) }
    }

    private func release(exclusive: Bool) {
        if exclusive { alone = false } else { sharing -= 1 }
        while let next = waiting.first, canStart(exclusive: next.exclusive) {
            waiting.removeFirst()
            start(exclusive: next.exclusive)
            next.continuation.resume()
        }
    }

    private func canStart(exclusive: Bool) -> Bool { !alone && (!exclusive || sharing == 0) }

    private func start(exclusive: Bool) { if exclusive { alone = true } else { sharing += 1 } }
}

/// CPU time of a browser's processes, read from /proc (Linux): what the page's work cost, whatever
/// else the machine was running meanwhile.
enum ProcessCPU {
    /// User + system CPU seconds so far of every descendant of `root` whose command line contains
    /// `marker` (e.g. `--type=renderer`), threads that have ended included; nil where /proc is absent.
    static func seconds(under root: pid_t, commandLineContaining marker: String) -> Double? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        var parent: [pid_t: pid_t] = [:], ticks: [pid_t: Double] = [:]
        for name in names {
            guard let pid = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // Fields after "(comm)": state ppid … utime (14th field overall) stime (15th).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 13, let ppid = pid_t(fields[1]), let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            parent[pid] = ppid
            ticks[pid] = user + system
        }
        func descends(_ pid: pid_t) -> Bool {
            var current = pid
            for _ in 0..<64 {
                guard let up = parent[current], up > 1 else { return false }
                if up == root { return true }
                current = up
            }
            return false
        }
        let perSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ticks.filter { pid, _ in
            descends(pid) && ((try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? "").contains(marker)
        }.values.reduce(0, +) / perSecond
    }
}
