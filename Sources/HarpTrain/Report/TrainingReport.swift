import Foundation
import HarpAudio
import HarpDSP
import HarpTensor

/// One HTML page per training run, rewritten as the run goes: the run's facts, the metrics table,
/// audio players (inputs beside their reconstructions, each with its spectrogram on a shared
/// colour scale) and the loss curves on labelled axes. Every file it links is written beside it,
/// each atomically, so the page is always whole and works offline.
///
/// ```swift
/// var report = TrainingReport(folder: run.appendingPathComponent("report"), title: "codec")
/// report.facts = [("steps", "1200"), ("data", "9.8 h")]
/// try report.addAudioRow(caption: "held-out 1", clips: [("input", x), ("6 kbit/s", y)], sampleRate: 24000)
/// try report.write(history: state.history)
/// ```
public struct TrainingReport {
    public let folder: URL
    public var title: String
    /// Name/value lines shown at the top (data, step, speed, …).
    public var facts: [(String, String)] = []
    /// Tables shown under the facts.
    public var tables: [Table] = []
    /// Free text paragraphs (what the run is, what is missing).
    public var notes: [String] = []
    private var audioRows: [AudioRow] = []

    /// A table with a caption, a header and rows of cells.
    public struct Table {
        public var caption: String
        public var header: [String]
        public var rows: [[String]]
        public init(caption: String, header: [String], rows: [[String]]) {
            self.caption = caption
            self.header = header
            self.rows = rows
        }
    }

    struct AudioRow {
        var caption: String
        var items: [(label: String, audio: String, picture: String)]
    }

    public init(folder: URL, title: String) {
        self.folder = folder
        self.title = title
    }

    /// Adds a row of players: `clips` (label, mono samples) written as WAV with spectrograms on
    /// one colour scale (0 dB = the loudest cell of any clip in the row).
    public mutating func addAudioRow(caption: String, clips: [(label: String, samples: Tensor)], sampleRate: Int) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stem = Self.slug("\(audioRows.count + 1)-\(caption)")
        let spectrogram = SpectrogramPicture(title: "", sampleRate: sampleRate, fftSize: 1024, hopSize: 256)
        let powers = clips.map { spectrogram.power(of: $0.samples.reshaped([-1])) }
        let reference = powers.map { $0.scalars.max() ?? 0 }.max() ?? 0
        var items: [(String, String, String)] = []
        for ((label, samples), power) in zip(clips, powers) {
            let name = "\(stem)-\(Self.slug(label))"
            try Self.writeWAV(samples.reshaped([-1]).scalars, sampleRate: sampleRate, to: folder.appendingPathComponent(name + ".wav"))
            var picture = spectrogram
            picture.title = "\(caption): \(label)"
            let png = Data(picture.picture(power: power, referencePower: reference, width: 420, height: 260).pngData())
            try png.write(to: folder.appendingPathComponent(name + ".png"), options: .atomic)
            items.append((label, name + ".wav", name + ".png"))
        }
        audioRows.append(AudioRow(caption: caption, items: items))
    }

    /// Writes the loss curves (one panel per term, log scale when positive) and `index.html`.
    public func write(history: [String: [Float]]) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var curves: [String] = []
        for term in history.keys.sorted() where (history[term]?.count ?? 0) >= 2 {
            let name = "loss-\(Self.slug(term)).png"
            let png = Data(Self.curve(term, history[term]!).pngData())
            try png.write(to: folder.appendingPathComponent(name), options: .atomic)
            curves.append(name)
        }
        try Data(page(curves: curves).utf8).write(to: folder.appendingPathComponent("index.html"), options: .atomic)
    }

    /// One term's values per step, with a running mean over 1 % of the run on top.
    static func curve(_ term: String, _ values: [Float]) -> Picture {
        let y = values.map(Double.init)
        let x = y.indices.map { Double($0 + 1) }
        let window = max(1, y.count / 100)
        var smoothed: [Double] = []
        var sum = 0.0
        for i in y.indices {
            sum += y[i]
            if i >= window { sum -= y[i - window] }
            smoothed.append(sum / Double(min(i + 1, window)))
        }
        let positive = y.allSatisfy { $0 > 0 }
        let series = [LinePlot.Series(x: x, y: y, color: Picture.Color(170, 200, 228)),
                      LinePlot.Series(x: x, y: smoothed, color: Picture.Color(20, 80, 160))]
        let plot = LinePlot(title: "\(term) (dark: mean of \(window) steps)",
                            x: PlotAxis(label: "step", range: 1...Double(max(y.count, 2))),
                            y: PlotAxis.fitting(y, label: positive ? "\(term) (log scale)" : term,
                                                scale: positive ? .logarithmic : .linear),
                            series: series)
        return plot.picture(width: 520, height: 260)
    }

    func page(curves: [String]) -> String {
        var html = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(Self.escaped(title))</title>
        <style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px;color:#222}
        table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}
        th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
        .row{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}figcaption{font-weight:600}
        audio{width:420px;display:block}</style></head><body>
        <h1>\(Self.escaped(title))</h1>\n
        """
        if !facts.isEmpty {
            html += "<table>" + facts.map { "<tr><th>\(Self.escaped($0.0))</th><td>\(Self.escaped($0.1))</td></tr>" }.joined() + "</table>\n"
        }
        for note in notes { html += "<p>\(Self.escaped(note))</p>\n" }
        for table in tables {
            html += "<h2>\(Self.escaped(table.caption))</h2><table><tr>"
                + table.header.map { "<th>\(Self.escaped($0))</th>" }.joined() + "</tr>"
                + table.rows.map { "<tr>" + $0.map { "<td>\(Self.escaped($0))</td>" }.joined() + "</tr>" }.joined()
                + "</table>\n"
        }
        if !audioRows.isEmpty { html += "<h2>Listen</h2>\n" }
        for row in audioRows {
            html += "<h3>\(Self.escaped(row.caption))</h3><div class=\"row\">"
            for item in row.items {
                html += "<figure><figcaption>\(Self.escaped(item.label))</figcaption>"
                    + "<audio controls preload=\"none\" src=\"\(item.audio)\"></audio>"
                    + "<img src=\"\(item.picture)\" alt=\"spectrogram: \(Self.escaped(item.label))\"></figure>"
            }
            html += "</div>\n"
        }
        if !curves.isEmpty {
            html += "<h2>Losses</h2><div class=\"row\">" + curves.map { "<img src=\"\($0)\" alt=\"\($0)\">" }.joined() + "</div>\n"
        }
        return html + "</body></html>\n"
    }

    /// 16-bit PCM WAV, which every browser plays; written to a temporary file, then renamed.
    static func writeWAV(_ samples: [Float], sampleRate: Int, to url: URL) throws {
        let writer = try AudioFileWriter(path: url.path, format: AudioFormat(container: .wav, encoding: .pcm16),
                                         sampleRate: sampleRate, channelCount: 1)
        try writer.write(AudioBuffer(interleaved: samples.map { max(-1, min(1, $0)) }, channelCount: 1, sampleRate: sampleRate))
        try writer.commit()
    }

    static func slug(_ text: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-.")
        let lowered = text.lowercased().map { allowed.contains($0) ? $0 : "-" }
        return String(lowered).split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
