import ArgumentParser
import Foundation
import HarpTensor

/// How `harp fit` plans its FFTs, and where it keeps what it learnt.
///
/// Measured FFTW plans run the 2¹⁸-point transforms of a fit step 1.5–1.8× faster than
/// estimated ones, but measuring takes seconds and picks algorithms by timing, so two runs could
/// round differently. Saving FFTW's wisdom to a file fixes both: the first fit on a machine
/// measures (and says so), every later one recalls the same plans instantly and rounds the same.
enum FFTPlanning: String, ExpressibleByArgument, CaseIterable {
    /// Time candidate plans, remembered in the wisdom file.
    case measure
    /// FFTW's heuristic plans: no start-up cost, no file, identical on every machine of one build.
    case estimate

    /// `$HARP_FFT_WISDOM` if set (empty: keep nothing), else `$XDG_CACHE_HOME/harp/fftw-wisdom`,
    /// else `~/.cache/harp/fftw-wisdom`.
    static var wisdomFile: URL? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["HARP_FFT_WISDOM"] { return path.isEmpty ? nil : URL(fileURLWithPath: path) }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return cache.appendingPathComponent("harp/fftw-wisdom")
    }

    /// Switches the process's plans to this policy, loading saved wisdom when measuring.
    func activate() {
        FFTPlanCache.shared.rigor = self == .measure ? .measure : .estimate
        guard self == .measure else { return }
        if let file = Self.wisdomFile, FFTPlanCache.shared.importWisdom(from: file) { return }
        printError("measuring FFT plans for this machine (once; a few seconds)")
    }

    /// Saves newly measured plans; a cache that cannot be written only costs time next run.
    func saveWisdom() {
        guard self == .measure, let file = Self.wisdomFile else { return }
        do {
            try FFTPlanCache.shared.exportWisdom(to: file)
        } catch {
            printError("note: could not save FFT plans to \(file.path): \(error.localizedDescription)")
        }
    }

    private func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
