import ArgumentParser
import Foundation
import HarpInstrument
import HarpTensor

/// `harp fit CLIP -o DIR`: factor a clip into an instrument and a sparse control signal (seed 001).
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a playable instrument to a short clip.",
        discussion: """
            Reads any audio file, mixes it to mono, resamples it to the model's rate, takes a \
            segment (--offset, length set by --seconds or --samples) and divides it by its peak. \
            Then fits the seed-001 model — a sparse control signal driving attack envelopes × \
            noise, routed into damped-harmonic-oscillator resonances with deformations, gain and \
            tanh — by Adam on an STFT L1 loss plus an L1 sparsity penalty.

            A clip shorter than the model (from --offset) is fitted by a model as long as the clip, \
            in whole control frames; the report says so.

            DIR receives instrument.safetensors, original.wav, reconstruction.wav, random.wav, \
            control.png, spectrogram-original.png, spectrogram-reconstruction.png, loss.png, \
            loss.csv, report.html, checkpoint.safetensors and fft-plans.wisdom \
            (the FFT plans measured at the start, recalled by --resume). A checkpoint \
            is written every --checkpoint-every iterations and when you press Ctrl-C; \
            `harp fit CLIP -o DIR --resume` continues from it with the options it was made with: \
            options that shape the fit may be left out, and are refused when they differ. \
            Defaults are the seed's code (22050 Hz, 2^17 samples, 16 control dimensions, 16 \
            resonances, expressivity 2, 64 oscillators, 10000 iterations); the article's settings \
            are reachable with e.g. --seconds 12 --resonance-window 2048.
            """)

    @Argument(help: "The clip to fit (WAV, FLAC, OGG, Opus, MP3, ...).")
    var clip: String

    @Option(name: .shortAndLong, help: "The output folder (created if missing).")
    var output: String

    @Option(help: "Optimisation steps.")
    var iterations = 10_000

    // The options that shape the fit are optional: a fresh fit takes the seed's default for one
    // left out, --resume the checkpoint's value (and refuses one given that differs from it).

    @Option(help: "Seed of the initial parameters, the attack noise and the random performance (default 0).")
    var seed: UInt64?

    @Option(help: ArgumentHelp("Start of the segment in the clip, in seconds (default 0).", valueName: "seconds"))
    var offset: Double?

    @Option(help: ArgumentHelp("Segment length in seconds (rounded to whole control frames).", valueName: "seconds"))
    var seconds: Double?

    @Option(help: ArgumentHelp("Segment length in samples (a multiple of the control step).", valueName: "count"))
    var samples: Int?

    @Option(help: ArgumentHelp("Model sample rate in Hz (default 22050).", valueName: "hz"))
    var sampleRate: Int?

    @Option(help: "Resonance window; the control signal has one frame per half window (default 256).")
    var resonanceWindow: Int?

    @Option(help: "Control plane dimensions, equal to --resonances as in the seed (default 16).")
    var controlDimensions: Int?

    @Option(help: "Resonances (default 16).")
    var resonances: Int?

    @Option(help: "Alternative resonances per resonance, blended by deformations (default 2).")
    var expressivity: Int?

    @Option(help: "Damped harmonic oscillators per resonance (default 64).")
    var oscillators: Int?

    @Option(help: "Adam's learning rate (default 0.001).")
    var learningRate: Float?

    @Option(help: "Weight of the L1 penalty on the control signal (default 0.5).")
    var sparsity: Float?

    @Option(help: "Write a checkpoint every this many iterations.")
    var checkpointEvery = 500

    @Flag(help: "Continue from DIR/checkpoint.safetensors.")
    var resume = false

    @Option(help: "Threads for the numeric kernels (default: all cores).")
    var threads: Int?

    @Option(help: ArgumentHelp(
        "FFT plans: 'measure' times them at the start (a few seconds, faster steps) and keeps them in DIR/fft-plans.wisdom for --resume; 'estimate' uses FFTW's guesses.",
        valueName: "measure|estimate"))
    var fftPlanning = FFTPlanning.measure

    func validate() throws {
        guard iterations >= 1 && iterations <= 10_000_000 else { throw ValidationError("--iterations must be in 1...10000000") }
        guard checkpointEvery >= 1 else { throw ValidationError("--checkpoint-every must be at least 1") }
        if let seconds, !(seconds > 0 && seconds <= 190) { throw ValidationError("--seconds must be in (0, 190]") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be in 1...256") }
        guard seconds == nil || samples == nil else { throw ValidationError("give --seconds or --samples, not both") }
    }

    func run() throws {
        if let threads { Parallel.threadCount = threads }
        InterruptFlag.install()
        try ErrorReporting.reportingFailure {
            let report = FitReport(directory: URL(fileURLWithPath: output))
            let (fitter, startSummary, target) = resume ? try resumedFitter(report: report) : try newFitter()
            try ErrorReporting.blaming(output) {
                try FileManager.default.createDirectory(at: report.directory, withIntermediateDirectories: true)
            }
            try train(fitter, summary: startSummary, target: target, report: report)
        }
    }

    /// `base` with the options given on the command line in place of its values.
    func configuration(over base: InstrumentConfiguration) -> InstrumentConfiguration {
        var c = base
        c.sampleRate = sampleRate ?? c.sampleRate
        c.resonanceWindowSize = resonanceWindow ?? c.resonanceWindowSize
        c.controlPlaneDimension = controlDimensions ?? c.controlPlaneDimension
        c.resonanceCount = resonances ?? c.resonanceCount
        c.expressivity = expressivity ?? c.expressivity
        c.oscillatorCount = oscillators ?? c.oscillatorCount
        c.learningRate = learningRate ?? c.learningRate
        c.sparsityCoefficient = sparsity ?? c.sparsityCoefficient
        if let count = requestedSampleCount(c) { c.sampleCount = count }
        return c
    }

    /// The segment length --samples or --seconds asks of configuration `c` (whole frames for
    /// --seconds), or nil when neither is given.
    func requestedSampleCount(_ c: InstrumentConfiguration) -> Int? {
        if let samples { return samples }
        guard let seconds else { return nil }
        let quantum = c.lengthQuantum
        return Swift.max(1, Int((seconds * Double(c.sampleRate) / Double(quantum)).rounded())) * quantum
    }

    /// The configuration of a fresh fit: the seed's defaults with the options given.
    func modelConfiguration() throws -> InstrumentConfiguration {
        let c = configuration(over: InstrumentConfiguration())
        guard c.resonanceWindowSize >= 2, c.sampleCount % c.lengthQuantum == 0 else {
            throw InstrumentError.invalidConfiguration("--samples must be a multiple of \(c.resonanceWindowSize >= 2 ? c.lengthQuantum : 1)")
        }
        try c.validate()
        return c
    }

    /// A fresh model for the clip. A clip shorter than the model's length (from --offset) is
    /// fitted by a model as long as the clip in whole frames; the summary keeps the length asked for.
    func newFitter() throws -> (InstrumentFitter, InstrumentFitSummary, TargetClip) {
        var configuration = try modelConfiguration()
        let offset = offset ?? 0, seed = seed ?? 0
        let target = try ErrorReporting.blaming(clip) {
            try TargetClip(path: clip, offsetSeconds: offset, configuration: configuration, followingShorterClip: true)
        }
        var summary = InstrumentFitSummary(sourceClip: URL(fileURLWithPath: clip).lastPathComponent,
                                           offsetSeconds: offset, iterations: 0, seed: seed)
        if target.samples.count < configuration.sampleCount {
            summary.requestedSampleCount = configuration.sampleCount
            let rate = Double(configuration.sampleRate)
            print(String(format: "the clip is shorter than the model's %.2f s from --offset %g: fitting a model of %.2f s (%d samples, %d control frames) instead",
                         Double(configuration.sampleCount) / rate, offset, Double(target.samples.count) / rate,
                         target.samples.count, target.samples.count / configuration.controlStep))
            fflush(stdout)
            configuration.sampleCount = target.samples.count
        }
        let model = try InstrumentModel(configuration: configuration, seed: seed)
        return (InstrumentFitter(model: model, target: target.samples), summary, target)
    }

    /// The fit saved in DIR/checkpoint.safetensors, continued on the same clip segment with the
    /// options it was made with. Errors name the checkpoint.
    func resumedFitter(report: FitReport) throws -> (InstrumentFitter, InstrumentFitSummary, TargetClip) {
        let checkpoint = report.url(FitReport.Name.checkpoint)
        let saved = try ErrorReporting.blaming(checkpoint.path) { () throws -> InstrumentCheckpoint.Header in
            guard FileManager.default.fileExists(atPath: checkpoint.path) else {
                throw ErrorReporting.Failure("no checkpoint to resume (run without --resume first)")
            }
            let saved = try InstrumentCheckpoint.header(at: checkpoint)
            let changed = differences(from: saved)
            guard changed.isEmpty else { throw ErrorReporting.Failure("--resume: " + changed.joined(separator: "; ")) }
            return saved
        }
        let target = try ErrorReporting.blaming(clip) {
            try TargetClip(path: clip, offsetSeconds: saved.summary.offsetSeconds, configuration: saved.configuration)
        }
        let (fitter, summary) = try ErrorReporting.blaming(checkpoint.path) {
            try InstrumentCheckpoint.load(from: checkpoint, target: target.samples)
        }
        print("resuming at iteration \(fitter.completedIterations)")
        return (fitter, summary, target)
    }

    func train(_ fitter: InstrumentFitter, summary: InstrumentFitSummary, target: TargetClip, report: FitReport) throws {
        let session = InstrumentFitSession(fitter: fitter, summary: summary, checkpoint: report.url(FitReport.Name.checkpoint),
                                           iterations: iterations, checkpointEvery: checkpointEvery)
        var progress = ProgressBar(total: iterations, label: "fit")
        let plans = report.url(FFTPlanning.folderFileName)
        fftPlanning.activate(recalling: resume ? plans : nil)
        defer { FFTPlanCache.shared.rigor = .estimate }
        let ending = try ErrorReporting.blaming(clip) {
            try session.run(isInterrupted: { InterruptFlag.isRaised }, afterFirstStep: { fftPlanning.saveWisdom(to: plans) },
                            progress: { progress.update(completed: $0, figures: ["loss": Double($1)]) })
        }
        progress.finish()
        // The report's renders use the same plans as `harp render`, so they match it bit for bit.
        FFTPlanCache.shared.rigor = .estimate
        try ErrorReporting.blaming(output) {
            try report.write(fitter: fitter, target: target, summary: session.summary, randomSeed: session.summary.seed)
        }
        switch ending {
        case .finished:
            print("report: \(report.url(FitReport.Name.page).path)")
        case .interrupted:
            print("stopped at iteration \(fitter.completedIterations); continue with: harp fit \(clip) -o \(output) --resume --iterations \(iterations)")
            throw ExitCode(130)
        case .controlSignalDied:
            throw ErrorReporting.FileFault(path: clip, error: InstrumentError.controlSignalDied(iteration: fitter.completedIterations,
                                                    firstDistance: fitter.firstSpectralDistance,
                                                    silentDistance: fitter.objective.silentDistance))
        }
    }
}
