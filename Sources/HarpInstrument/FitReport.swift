import Foundation
import HarpAudio
import HarpDSP
import HarpTensor

/// Writes what a fit produces into its output folder: the instrument, the three recordings
/// (original segment, reconstruction, random performance), pictures on labelled axes (the
/// original's and the reconstruction's spectrograms, the control signal, the loss curve),
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
        public static let originalSpectrogram = "spectrogram-original.png"
        public static let reconstructionSpectrogram = "spectrogram-reconstruction.png"
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
        try writePNG(controlPicture(model), to: Name.control)
        try writeSpectrograms(original: target.samples, reconstruction: reconstruction, sampleRate: c.sampleRate)
        try writePNG(lossPicture(fitter.lossHistory, sparsity: c.sparsityCoefficient), to: Name.loss)
        let table = "iteration,loss\n" + fitter.lossHistory.enumerated().map { "\($0.offset + 1),\($0.element)" }.joined(separator: "\n") + "\n"
        try Self.writeAtomically(Data(table.utf8), to: url(Name.lossTable))
        try Self.writeAtomically(Data(page(model: model, summary: summary).utf8), to: url(Name.page))
    }

    /// The fitted control signal `[C, F]` on a time axis, white loud and black zero (as the seed draws it).
    func controlPicture(_ model: InstrumentModel) -> Picture {
        let c = model.configuration
        let plot = HeatMapPlot(
            title: "control signal",
            x: PlotAxis(label: "time (s)", range: 0...(Double(c.sampleCount) / Double(c.sampleRate))),
            y: PlotAxis(label: "dimension", range: -0.5...(Double(c.controlPlaneDimension) - 0.5)),
            colorMap: .gray, colorBarLabel: "value")
        return plot.picture(values: model.controlSignal.scalars, rows: c.controlPlaneDimension, columns: c.frameCount,
                            width: 1040, height: 90 + 10 * Swift.min(c.controlPlaneDimension, 40))
    }

    /// The original's and the reconstruction's spectrograms, on one colour scale (0 dB = the
    /// loudest cell of either).
    func writeSpectrograms(original: Tensor, reconstruction: Tensor, sampleRate: Int) throws {
        let fftSize = Swift.min(1024, Swift.max(64, original.count / 4))
        let originalSpectrogram = SpectrogramPicture(title: "original", sampleRate: sampleRate, fftSize: fftSize, hopSize: fftSize / 4)
        var reconstructionSpectrogram = originalSpectrogram
        reconstructionSpectrogram.title = "reconstruction"
        let powers = (originalSpectrogram.power(of: original), originalSpectrogram.power(of: reconstruction))
        let reference = Swift.max(powers.0.scalars.max() ?? 0, powers.1.scalars.max() ?? 0)
        try writePNG(originalSpectrogram.picture(power: powers.0, referencePower: reference, width: 520, height: 320),
                     to: Name.originalSpectrogram)
        try writePNG(reconstructionSpectrogram.picture(power: powers.1, referencePower: reference, width: 520, height: 320),
                     to: Name.reconstructionSpectrogram)
    }

    /// The loss per iteration on a log scale, with its median over the last 50 iterations on top
    /// (each step draws fresh attack noise, so single losses scatter; a median is not dragged up
    /// by the first steps' far larger losses as a mean would be).
    func lossPicture(_ history: [Float], sparsity: Float) -> Picture {
        let losses = history.map(Double.init)
        let steps = losses.indices.map { Double($0 + 1) }
        let window = 50
        var series = [LinePlot.Series(x: steps, y: losses, color: Picture.Color(160, 196, 228))]
        if losses.count > window {
            let medians = ((window - 1)..<losses.count).map { i -> Double in
                let sorted = losses[(i + 1 - window)...i].sorted()
                return (sorted[window / 2 - 1] + sorted[window / 2]) / 2
            }
            series.append(LinePlot.Series(x: Array(steps[(window - 1)...]), y: medians, color: Picture.Color(20, 80, 160)))
        }
        let title = "loss: spectral L1 + \(sparsity) x control L1" + (losses.count > window ? " (dark: median of the last \(window))" : "")
        let plot = LinePlot(title: title, x: PlotAxis(label: "iteration", range: 1...Double(Swift.max(losses.count, 2))),
                            y: PlotAxis.fitting(losses, label: "loss (log scale)", scale: .logarithmic), series: series)
        return plot.picture(width: 1040, height: 320)
    }

    func writePNG(_ picture: Picture, to name: String) throws {
        try Self.writeAtomically(Data(picture.pngData()), to: url(name))
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
        img { max-width: 100%; image-rendering: pixelated; }
        .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0.5em; }
        table { border-collapse: collapse; } td { padding: 2px 14px 2px 0; }
        .note { background: #fff6d6; border-left: 4px solid #e0b000; padding: 0.4em 0.8em; }
        </style></head><body>
        <h1>Instrument fitted to <code>\(Self.escape(summary.sourceClip))</code></h1>
        \(shortClipNote(c, summary: summary))
        <div class="players">
        <figure><figcaption>Original segment</figcaption><audio controls src="\(Name.original)"></audio></figure>
        <figure><figcaption>Reconstruction</figcaption><audio controls src="\(Name.reconstruction)"></audio></figure>
        <figure><figcaption>Random performance</figcaption><audio controls src="\(Name.random)"></audio></figure>
        </div>
        <h2>Spectrograms</h2>
        <p>The original segment and the instrument's reconstruction of it, on one colour scale \
        (0 dB is the loudest point of either).</p>
        <div class="pair">
        <img src="\(Name.originalSpectrogram)" alt="spectrogram of the original">
        <img src="\(Name.reconstructionSpectrogram)" alt="spectrogram of the reconstruction">
        </div>
        <h2>Sparse control signal</h2>
        <p>\(c.controlPlaneDimension) control dimensions × \(c.frameCount) frames \
        (\(String(format: "%.1f", Double(c.sampleRate) / Double(c.controlStep))) frames per second); white is loud, \
        black is zero. \(model.activeControlCount) of \(c.controlPlaneDimension * c.frameCount) values are active.</p>
        <img src="\(Name.control)" alt="control signal">
        <h2>Loss</h2>
        <p>Spectral L1 + \(c.sparsityCoefficient) × control L1, per iteration, on a logarithmic axis \
        (<a href="\(Name.lossTable)">CSV</a>).</p>
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

    /// A paragraph saying that the model follows a clip shorter than the length asked for, or nothing.
    func shortClipNote(_ c: InstrumentConfiguration, summary: InstrumentFitSummary) -> String {
        guard let requested = summary.requestedSampleCount, requested != c.sampleCount else { return "" }
        let rate = Double(c.sampleRate)
        return String(format: "<p class=\"note\">The clip is shorter than the %.2f s model asked for (from %.2f s on), so the model "
                      + "follows the clip: %.2f s, %d samples in %d whole control frames of %d samples.</p>",
                      Double(requested) / rate, summary.offsetSeconds, Double(c.sampleCount) / rate, c.sampleCount,
                      c.frameCount, c.controlStep)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
