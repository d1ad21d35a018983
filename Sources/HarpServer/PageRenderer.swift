import Foundation

/// The two HTML pages, rendered on the server so the listing and the player's controls are there
/// before any script runs. Scripts and styles are separate files (the Content-Security-Policy
/// forbids inline ones).
enum PageRenderer {
    /// The listing: one card per instrument with its facts, its control picture and a link to play it.
    static func listing(_ catalog: InstrumentCatalog) -> String {
        let cards = catalog.instruments.map(card).joined(separator: "\n")
        let body = catalog.instruments.isEmpty ? "<p>No instruments.</p>" : "<ul class=\"instruments\">\n\(cards)\n</ul>"
        return page(title: "Harp instruments", body: """
            <header><h1>Harp</h1><p>Instruments fitted to one clip each. Pick one to play it.</p></header>
            <main id="listing">\(body)</main>
            """, script: nil)
    }

    /// The player page for one instrument: the controls, wired up by `player.js`.
    static func player(_ instrument: ServedInstrument, catalog: InstrumentCatalog) -> String {
        let id = HTMLText.escaped(instrument.id)
        let others = catalog.instruments.map { entry in
            let current = entry.id == instrument.id ? " aria-current=\"page\"" : ""
            return "<li><a href=\"/play/\(HTMLText.escaped(entry.id))\"\(current)>\(HTMLText.escaped(entry.name))</a></li>"
        }.joined()
        return page(title: "\(instrument.name) — Harp", body: """
            <header><h1><a href="/">Harp</a> · \(HTMLText.escaped(instrument.name))</h1>
            <nav aria-label="Instruments"><ul class="switcher">\(others)</ul></nav></header>
            <main id="player" data-instrument="\(id)" data-state="loading">
              <section class="facts">\(facts(instrument))
                <img class="control" src="/instruments/\(id)/control.png" alt="control signal of \(HTMLText.escaped(instrument.name))" width="512" height="128">
              </section>
              <section class="transport">
                <button id="start" type="button" disabled>Start sound</button>
                <button id="replay" type="button" disabled>Replay the original performance</button>
                <button id="record" type="button" disabled>Record</button>
                <a id="download" hidden>Download WAV</a>
                <label>Volume <input id="volume" type="range" min="0" max="1" step="0.01" value="0.5"></label>
                <span id="status" role="status">loading</span>
                <span id="latency"></span>
              </section>
              <section class="play">
                <div id="pad" class="pad" touch-action="none" aria-label="XY pad: touch or click to play; x chooses the event, y its strength"><span>touch · click · drag — ← event →, ↑ stronger</span></div>
                <div class="side">
                  <label>Deformation <input id="deformation" type="range" min="0" max="1" step="0.001" value="0"></label>
                  <div id="keys" class="keys" aria-label="keyboard events"></div>
                  <button id="motion" type="button">Use device motion</button>
                  <p id="midi">MIDI: not connected</p>
                </div>
              </section>
            </main>
            """, script: "/static/player.js")
    }

    /// One listing card.
    private static func card(_ instrument: ServedInstrument) -> String {
        let id = HTMLText.escaped(instrument.id)
        return """
            <li class="instrument"><a href="/play/\(id)"><h2>\(HTMLText.escaped(instrument.name))</h2>
            <img src="/instruments/\(id)/control.png" alt="control signal" width="512" height="128"></a>\(facts(instrument))</li>
            """
    }

    /// Source clip, size, compression ratio and shape of an instrument as a definition list.
    private static func facts(_ instrument: ServedInstrument) -> String {
        let c = instrument.configuration
        let clip = instrument.sourceClip.isEmpty ? "(unknown)" : instrument.sourceClip
        let seconds = Double(instrument.sampleCount) / Double(instrument.sampleRate)
        let rows: [(String, String)] = [
            ("source clip", clip),
            ("size", "\(formatBytes(instrument.fileSize))"),
            ("compression ratio", String(format: "%.4f", instrument.compressionRatio)),
            ("segment", String(format: "%.2f s at %d Hz", seconds, instrument.sampleRate)),
            ("shape", "\(c.controlPlaneDimension) controls × \(c.frameCount) frames, \(c.resonanceCount) resonances × \(c.expressivity) variants × \(c.oscillatorCount) oscillators"),
        ]
        return "<dl>" + rows.map { "<dt>\($0.0)</dt><dd>\(HTMLText.escaped($0.1))</dd>" }.joined() + "</dl>"
    }

    static func formatBytes(_ bytes: Int) -> String {
        bytes < 1024 ? "\(bytes) B" : bytes < 1 << 20 ? String(format: "%.1f kB", Double(bytes) / 1024)
            : String(format: "%.1f MB", Double(bytes) / Double(1 << 20))
    }

    private static func page(title: String, body: String, script: String?) -> String {
        let scriptTag = script.map { "<script type=\"module\" src=\"\($0)\"></script>" } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escaped(title))</title>
            <link rel="stylesheet" href="/static/style.css">\(scriptTag)</head>
            <body>
            \(body)
            </body></html>
            """
    }
}
