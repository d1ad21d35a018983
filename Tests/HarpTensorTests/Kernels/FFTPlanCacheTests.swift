import Foundation
import Testing
@testable import HarpTensor

/// Saving and recalling FFTW wisdom (how `harp fit` keeps measured plans between runs).
struct FFTPlanCacheTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("harp-wisdom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    @Test func measuredPlansAreSavedAndRecalled() throws {
        // A private cache: the shared one's rigor is process-wide state other tests rely on.
        let cache = FFTPlanCache()
        cache.rigor = .measure
        _ = cache.plan(.realToComplex, length: 96)
        let file = folder.appendingPathComponent("nested/wisdom")
        try cache.exportWisdom(to: file)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasPrefix("(fftw-"))
        #expect(cache.importWisdom(from: file))
        // Nothing new was measured since, so a second export leaves the file alone.
        try FileManager.default.removeItem(at: file)
        try cache.exportWisdom(to: file)
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test func missingMalformedAndOversizedWisdomIsRefused() throws {
        let cache = FFTPlanCache()
        #expect(!cache.importWisdom(from: folder.appendingPathComponent("absent")))
        let garbage = folder.appendingPathComponent("garbage")
        try Data("(fftw-3.3.10 fftwf_wisdom #x1 (((((( not wisdom".utf8).write(to: garbage)
        #expect(!cache.importWisdom(from: garbage))
        let binary = folder.appendingPathComponent("binary")
        try Data([0xFF, 0x00, 0x28, 0x66]).write(to: binary)
        #expect(!cache.importWisdom(from: binary))
        let huge = folder.appendingPathComponent("huge")
        try Data(repeating: 0x28, count: FFTPlanCache.maximumWisdomBytes + 1).write(to: huge)
        #expect(!cache.importWisdom(from: huge))
    }
}
