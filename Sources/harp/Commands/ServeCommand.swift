import ArgumentParser
import Dispatch
import Foundation
import HarpServer

/// `harp serve [INSTRUMENT|FOLDER...] [--host 127.0.0.1] [--port 8080]`: the web player.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a web page that plays fitted instruments live in the browser.",
        discussion: """
            Lists the instruments (name, source clip, size, compression ratio, control signal) and \
            gives each a player that synthesises in the browser with WebAudio, the same signal chain \
            as `harp render`: an XY pad, the computer keyboard (keys play events learned from the \
            fitted control signal), WebMIDI notes, device motion on a phone, a deformation slider, \
            replay of the original performance and recording to WAV.

            Give instrument files (.safetensors written by `harp fit`) or folders holding them \
            (not searched recursively; links leading out of a folder are ignored). Files that do \
            not load are reported and skipped. Everything the page needs is inside the harp \
            binary; nothing is fetched from elsewhere.

            The server listens on 127.0.0.1 (this machine only) unless --host says otherwise. \
            --port 0 picks a free port. Stop it with Ctrl-C.
            """)

    @Argument(help: "Instrument files or folders of them (default: the current folder, unless --demo).")
    var paths: [String] = []

    @Flag(help: "Also serve an untrained instrument at the seed's default size (it makes sound too).")
    var demo = false

    @Option(help: "Address to listen on; 0.0.0.0 exposes the player to the network.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be within 0…65535") }
    }

    func run() throws {
        try ErrorReporting.reportingFailure {
            var catalog = try InstrumentCatalog(paths: paths.isEmpty && !demo ? ["."] : paths)
            if demo { catalog.add(try ServedInstrument.untrainedDemo()) }
            for skipped in catalog.skipped { warn("\(skipped.path): skipped: \(skipped.reason)") }
            guard !catalog.instruments.isEmpty else { throw ServerError.noInstruments }
            if !["127.0.0.1", "localhost", "::1"].contains(host) {
                warn("listening on \(host): other machines can reach the player")
            }
            let server = try HarpServer(catalog: catalog)
            try Self.blockingRun(server, host: host, port: port, count: catalog.instruments.count)
        }
    }

    /// One `harp: warning: …` line on stderr.
    private func warn(_ message: String) {
        FileHandle.standardError.write(Data("harp: warning: \(message)\n".utf8))
    }

    /// Runs the asynchronous server from this synchronous command until it stops.
    private static func blockingRun(_ server: HarpServer, host: String, port: Int, count: Int) throws {
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        let shownHost = host.contains(":") ? "[\(host)]" : host
        Task {
            do {
                try await server.run(host: host, port: port) { actualPort in
                    print("Serving \(count) instrument\(count == 1 ? "" : "s") at http://\(shownHost):\(actualPort)/ (Ctrl-C stops)")
                    fflush(stdout)
                }
            } catch {
                failure.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = failure.error { throw error }
    }
}

/// Carries an error out of the server task.
private final class FailureBox: @unchecked Sendable {
    var error: Error?
}
