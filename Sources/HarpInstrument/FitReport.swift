import Foundation
import HarpAudio
import HarpDSP
import HarpTensor

/// Writes what a fit produces into its output folder: the instrument, the three recordings
/// (original segment, reconstruction, random performance), the control-signal and loss pictures,
/// the loss as CSV and an HTML page that shows and plays them. Every file is written to a
/// temporary name and renamed into place.
public struct FitReport {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// File names inside the folder.
    public enum Name {
        public static let instrument = "instrument.safetensors"
        public static let checkpoint = "checkpoint.safetensors"
        public static let original = "original.wav"
        public static let reconstruction = "reconstruction.wav"
        public static let random = "random.wav"
        public static let control = "control.png"
        public static let loss = "loss.png"
        public static let lossTable = "loss.csv"
        public static let page = "report.html"
    }

    public func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// Writes every artefact of `fitter`'s current state.
    public func write(fitter: InstrumentFitter, target: TargetClip, summary: InstrumentFitSummary, randomSeed: UInt64) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let model = fitter.model
        let c = model.configuration
        try InstrumentFile.save(model, summary: summary, to: url(Name.instrument))
        let (reconstruction, random) = withoutGradients { () -> (Tensor, Tensor) in
            var generator = RandomGenerator(seed: randomSeed)
            let control = model.randomControl(generator: &generator)
            return (maxNorm(model.render()), maxNorm(model.render(control: control, deformations: model.restingDeformations)))
        }
        try Self.writeWAV(target.samples.scalars, sampleRate: c.sampleRate, to: url(Name.original))
        try Self.writeWAV(reconstruction.scalars, sampleRate: c.sampleRate, to: url(Name.reconstruction))
        try Self.writeWAV(random.scalars, sampleRate: c.sampleRate, to: url(Name.random))
        let control = model.controlSignal
        let controlPicture = Picture.heatMap(control.scalars, rows: c.controlPlaneDimension, columns: c.frameCount,
                                             width: 1024, height: 16 * c.controlPlaneDimension, colorMap: .gray)
        try Self.writeAtomically(Data(controlPicture.pngData()), to: url(Name.control))
        let lossPicture = Picture.linePlot(fitter.lossHistory, width: 800, height: 240, logarithmic: true)
        try Self.writeAtomically(Data(lossPicture.pngData()), to: url(Name.loss))
        let table = "iteration,loss\n" + fitter.lossHistory.enumerated().map { "\($0.offset + 1),\($0.element)" }.joined(separator: "\n") + "\n"
        try Self.writeAtomically(Data(table.utf8), to: url(Name.lossTable))
        try Self.writeAtomically(Data(page(model: model, summary: summary).utf8), to: url(Name.page))
    }

    /// 16-bit PCM WAV, which every browser plays.
    static func writeWAV(_ samples: [Float], sampleRate: Int, to url: URL) throws {
        let writer = try AudioFileWriter(path: url.path, format: AudioFormat(container: .wav, encoding: .pcm16),
                                         sampleRate: sampleRate, channelCount: 1)
        try writer.write(AudioBuffer(interleaved: samples, channelCount: 1, sampleRate: sampleRate))
        try writer.commit()
    }

    static func writeAtomically(_ data: Data, to url: URL) throws {
        try data.write(to: url, options: .atomic)
    }

    func fileSize(_ name: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url(name).path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    func page(model: InstrumentModel, summary: InstrumentFitSummary) -> String {
        let c = model.configuration
        let instrumentBytes = fileSize(Name.instrument)
        let wavBytes = c.sampleCount * 2 + 44   // the segment as 16-bit mono WAV
        let finalLoss = summary.finalLoss.map { String(format: "%.1f", $0) } ?? "–"
        let ratio = String(format: "%.3f", model.compressionRatio)
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Harp instrument — \(Self.escape(summary.sourceClip))</title>
        <style>
        body { font: 15px/1.45 system-ui, sans-serif; max-width: 1060px; margin: 2em auto; padding: 0 1em; color: #222; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
        .players { display: grid; grid-template-columns: repeat(3, 1fr); gap: 1em; }
        .players figure { margin: 0; } audio { width: 100%; }
        img { max-width: 100%; border: 1px solid #ddd; image-rendering: pixelated; }
        table { border-collapse: collapse; } td { padding: 2px 14px 2px 0; }
        </style></head><body>
        <h1>Instrument fitted to <code>\(Self.escape(summary.sourceClip))</code></h1>
        <div class="players">
        <figure><figcaption>Original segment</figcaption><audio controls src="\(Name.original)"></audio></figure>
        <figure><figcaption>Reconstruction</figcaption><audio controls src="\(Name.reconstruction)"></audio></figure>
        <figure><figcaption>Random performance</figcaption><audio controls src="\(Name.random)"></audio></figure>
        </div>
        <h2>Sparse control signal</h2>
        <p>\(c.controlPlaneDimension) control dimensions (rows, bottom = 0) × \(c.frameCount) frames \
        (\(String(format: "%.1f", Double(c.sampleRate) / Double(c.controlStep))) frames per second); white is loud, \
        black is zero. \(model.activeControlCount) of \(c.controlPlaneDimension * c.frameCount) values are active.</p>
        <img src="\(Name.control)" alt="control signal">
        <h2>Loss</h2>
        <p>Spectral L1 + \(c.sparsityCoefficient) × control L1, per iteration (log scale; <a href="\(Name.lossTable)">CSV</a>).</p>
        <img src="\(Name.loss)" alt="loss curve">
        <h2>Facts</h2>
        <table>
        <tr><td>Iterations</td><td>\(summary.iterations)</td></tr>
        <tr><td>Final loss</td><td>\(finalLoss)</td></tr>
        <tr><td>Segment</td><td>\(String(format: "%.2f", Double(c.sampleCount) / Double(c.sampleRate))) s from \
        \(String(format: "%.2f", summary.offsetSeconds)) s, \(c.sampleRate) Hz mono</td></tr>
        <tr><td>Compression ratio (seed's definition)</td><td>\(ratio) of the segment's samples</td></tr>
        <tr><td>Instrument file</td><td>\(instrumentBytes / 1024) KiB (<a href="\(Name.instrument)">\(Name.instrument)</a>) \
        against \(wavBytes / 1024) KiB as 16-bit WAV</td></tr>
        <tr><td>Model</td><td>\(c.resonanceCount) resonances × \(c.expressivity) variants × \(c.oscillatorCount) oscillators, \
        \(c.attackFrameCount)-frame attacks over \(c.attackSampleCount) samples</td></tr>
        <tr><td>Seed</td><td>\(summary.seed)</td></tr>
        </table>
        <p>Play it: <code>harp render \(Name.instrument) -o out.wav --random --seed 1</code> or \
        <code>harp serve \(Name.instrument)</code>.</p>
        </body></html>
        """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
