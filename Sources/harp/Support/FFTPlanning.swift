import ArgumentParser
import Foundation
import HarpTensor

/// How `harp fit` plans its FFTs, and where it keeps the plans it chose.
///
/// Measured FFTW plans run the 2¹⁸-point transforms of a fit step 1.5–1.8× faster than
/// estimated ones, but measuring takes seconds and picks algorithms by timing, so two runs could
/// round differently. A fit therefore measures once at its start and saves FFTW's wisdom in its
/// folder: `--resume` recalls those very plans and continues exactly as an uninterrupted fit.
///
/// The plans travel with the fit: a fit folder resumes exactly wherever it is copied, and nothing
/// is written outside it. `$HARP_FFT_WISDOM` names a shared file for those who want every run to
/// recall the same plans (and so round alike) and to skip the few seconds of measuring.
enum FFTPlanning: String, ExpressibleByArgument, CaseIterable {
    /// Time candidate plans at the start of the run.
    case measure
    /// FFTW's heuristic plans: no start-up cost, no file, identical on every machine of one build.
    case estimate

    /// The file in a fit's folder that keeps the plans the fit measured.
    static let folderFileName = "fft-plans.wisdom"

    /// `$HARP_FFT_WISDOM` when it is set and not empty.
    static var sharedWisdomFile: URL? {
        guard let path = ProcessInfo.processInfo.environment["HARP_FFT_WISDOM"], !path.isEmpty else { return nil }
        return URL(fileURLWithPath: path)
    }

    /// Switches the process's plans to this policy. When measuring, recalls the plans in
    /// `folderFile` (a resumed fit's) or else the shared file, and otherwise says it is measuring.
    func activate(recalling folderFile: URL? = nil) {
        FFTPlanCache.shared.rigor = self == .measure ? .measure : .estimate
        guard self == .measure else { return }
        for file in [folderFile, Self.sharedWisdomFile].compactMap({ $0 }) where FFTPlanCache.shared.importWisdom(from: file) {
            return
        }
        printError("measuring FFT plans (a few seconds)")
    }

    /// Saves the plans in use to `folderFile` and to the shared file; a file that cannot be
    /// written costs exactness on resume or time next run, never the fit.
    func saveWisdom(to folderFile: URL? = nil) {
        guard self == .measure else { return }
        let files = [folderFile, Self.sharedWisdomFile].compactMap { $0 }
        guard let first = files.first else { return }
        do {
            try FFTPlanCache.shared.exportWisdom(to: first)
            for file in files.dropFirst() {
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(contentsOf: first).write(to: file, options: .atomic)
            }
        } catch {
            printError("note: could not save the FFT plans: \(error.localizedDescription)")
        }
    }

    private func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
