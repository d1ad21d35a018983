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

            DIR receives instrument.safetensors, original.wav, reconstruction.wav, random.wav, \
            control.png, loss.png, loss.csv, report.html, checkpoint.safetensors and fft-plans.wisdom \
            (the FFT plans measured at the start, recalled by --resume). A checkpoint \
            is written every --checkpoint-every iterations and when you press Ctrl-C; \
            `harp fit CLIP -o DIR --resume` continues from it (pass the same clip and --offset). \
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

    @Option(help: "Seed of the initial parameters, the attack noise and the random performance.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Start of the segment in the clip, in seconds.", valueName: "seconds"))
    var offset = 0.0

    @Option(help: ArgumentHelp("Segment length in seconds (rounded to whole control frames).", valueName: "seconds"))
    var seconds: Double?

    @Option(help: ArgumentHelp("Segment length in samples (a multiple of the control step).", valueName: "count"))
    var samples: Int?

    @Option(help: ArgumentHelp("Model sample rate in Hz.", valueName: "hz"))
    var sampleRate = 22_050

    @Option(help: "Resonance window; the control signal has one frame per half window.")
    var resonanceWindow = 256

    @Option(help: "Control plane dimensions (equal to --resonances, as in the seed).")
    var controlDimensions = 16

    @Option(help: "Resonances.")
    var resonances = 16

    @Option(help: "Alternative resonances per resonance, blended by deformations.")
    var expressivity = 2

    @Option(help: "Damped harmonic oscillators per resonance.")
    var oscillators = 64

    @Option(help: "Adam's learning rate.")
    var learningRate: Float = 1e-3

    @Option(help: "Weight of the L1 penalty on the control signal.")
    var sparsity: Float = 0.5

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
        try ErrorReporting.reportingFailure(subject: clip) {
            let configuration = try modelConfiguration()
            let target = try TargetClip(path: clip, offsetSeconds: offset, configuration: configuration)
            let report = FitReport(directory: URL(fileURLWithPath: output))
            try FileManager.default.createDirectory(at: report.directory, withIntermediateDirectories: true)
            let (fitter, startSummary) = try makeFitter(configuration: configuration, target: target, report: report)
            try train(fitter, summary: startSummary, target: target, report: report)
        }
    }

    func modelConfiguration() throws -> InstrumentConfiguration {
        var c = InstrumentConfiguration()
        c.sampleRate = sampleRate
        c.resonanceWindowSize = resonanceWindow
        c.controlPlaneDimension = controlDimensions
        c.resonanceCount = resonances
        c.expressivity = expressivity
        c.oscillatorCount = oscillators
        c.learningRate = learningRate
        c.sparsityCoefficient = sparsity
        // Lengths must be whole control frames and whole deformation frames.
        let quantum = lcm(c.controlStep, c.deformationFrameSize)
        if let samples {
            c.sampleCount = samples
        } else if let seconds {
            c.sampleCount = Swift.max(1, Int((seconds * Double(sampleRate) / Double(quantum)).rounded())) * quantum
        }
        guard c.sampleCount % quantum == 0 else {
            throw InstrumentError.invalidConfiguration("--samples must be a multiple of \(quantum)")
        }
        try c.validate()
        return c
    }

    func makeFitter(configuration: InstrumentConfiguration, target: TargetClip,
                    report: FitReport) throws -> (InstrumentFitter, InstrumentFitSummary) {
        let checkpoint = report.url(FitReport.Name.checkpoint)
        if resume {
            guard FileManager.default.fileExists(atPath: checkpoint.path) else {
                throw InstrumentError.malformedInstrument("no checkpoint to resume in \(output)")
            }
            let (fitter, summary) = try InstrumentCheckpoint.load(from: checkpoint, target: target.samples)
            guard fitter.model.configuration.sampleCount == configuration.sampleCount else {
                throw InstrumentError.invalidConfiguration("the checkpoint's segment length differs from this run's options")
            }
            print("resuming at iteration \(fitter.completedIterations)")
            return (fitter, summary)
        }
        let model = try InstrumentModel(configuration: configuration, seed: seed)
        let summary = InstrumentFitSummary(sourceClip: URL(fileURLWithPath: clip).lastPathComponent,
                                           offsetSeconds: offset, iterations: 0, seed: seed)
        return (InstrumentFitter(model: model, target: target.samples), summary)
    }

    func train(_ fitter: InstrumentFitter, summary: InstrumentFitSummary, target: TargetClip, report: FitReport) throws {
        var session = FitSession(fitter: fitter, summary: summary, checkpoint: report.url(FitReport.Name.checkpoint),
                                 iterations: iterations, checkpointEvery: checkpointEvery)
        let plans = report.url(FFTPlanning.folderFileName)
        fftPlanning.activate(recalling: resume ? plans : nil)
        defer { FFTPlanCache.shared.rigor = .estimate }
        let ending = try session.run(afterFirstStep: { fftPlanning.saveWisdom(to: plans) })
        // The report's renders use the same plans as `harp render`, so they match it bit for bit.
        FFTPlanCache.shared.rigor = .estimate
        try report.write(fitter: fitter, target: target, summary: session.summary, randomSeed: seed)
        switch ending {
        case .finished:
            print("report: \(report.url(FitReport.Name.page).path)")
        case .interrupted:
            print("stopped at iteration \(fitter.completedIterations); continue with: harp fit \(clip) -o \(output) --resume --iterations \(iterations)")
            throw ExitCode(130)
        case .controlSignalDied:
            throw InstrumentError.controlSignalDied(iteration: fitter.completedIterations,
                                                    firstDistance: fitter.firstSpectralDistance,
                                                    silentDistance: fitter.objective.silentDistance)
        }
    }
}

private func lcm(_ a: Int, _ b: Int) -> Int {
    func gcd(_ x: Int, _ y: Int) -> Int { y == 0 ? x : gcd(y, x % y) }
    return a / gcd(a, b) * b
}
