import Foundation
import HarpInstrument

extension FitCommand {
    /// Each option given on the command line that shapes the fit and differs from what the
    /// checkpoint was made with, as `--learning-rate is 0.0001 but the checkpoint was made with 0.001`.
    /// Options left out take the checkpoint's values, so they never differ.
    func differences(from saved: InstrumentCheckpoint.Header) -> [String] {
        let c = saved.configuration
        var found: [String] = []
        func compare<Value: Equatable>(_ option: String, _ given: Value?, _ made: Value) {
            if let given, given != made { found.append("\(option) is \(given) but the checkpoint was made with \(made)") }
        }
        compare("--sample-rate", sampleRate, c.sampleRate)
        compare("--resonance-window", resonanceWindow, c.resonanceWindowSize)
        compare("--control-dimensions", controlDimensions, c.controlPlaneDimension)
        compare("--resonances", resonances, c.resonanceCount)
        compare("--expressivity", expressivity, c.expressivity)
        compare("--oscillators", oscillators, c.oscillatorCount)
        compare("--learning-rate", learningRate, c.learningRate)
        compare("--sparsity", sparsity, c.sparsityCoefficient)
        compare("--seed", seed, saved.summary.seed)
        compare("--offset", offset, saved.summary.offsetSeconds)
        if let requested = requestedSampleCount(configuration(over: c)),
           requested != (saved.summary.requestedSampleCount ?? c.sampleCount), requested != c.sampleCount {
            let option = samples != nil ? "--samples is \(requested)" : "--seconds \(seconds ?? 0) asks for \(requested) samples"
            found.append("\(option) but the checkpoint was made with \(saved.summary.requestedSampleCount ?? c.sampleCount)")
        }
        let clipName = URL(fileURLWithPath: clip).lastPathComponent
        if !saved.summary.sourceClip.isEmpty && clipName != saved.summary.sourceClip {
            found.append("the clip is \(clipName) but the checkpoint was made from \(saved.summary.sourceClip)")
        }
        return found
    }
}
