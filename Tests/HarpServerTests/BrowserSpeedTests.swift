import Foundation
import HarpInstrument
import HarpTensor
import Testing

/// Opt-in measurement (`HARP_WEB_BENCH=1`): the seed's default-size instrument (16 resonances × 2
/// variants × 64 oscillators, 2¹⁷ samples) rendered by headless Chromium through the player's graph,
/// timed against the audio's duration, and compared with `InstrumentModel.render`.
@Suite(.enabled(if: Chromium.path != nil && ProcessInfo.processInfo.environment["HARP_WEB_BENCH"] == "1",
                "opt-in: HARP_WEB_BENCH=1 and chromium installed"))
struct BrowserSpeedTests {
    @Test(.timeLimit(.minutes(10)))
    func defaultSizeInstrumentRenderTime() async throws {
        let (folder, model, performance) = try TestInstrument.defaultSize(seed: 3)
        let clock = ContinuousClock()
        var browser: [Float] = []
        let browserTime = try await clock.measure {
            browser = try await BrowserRenderTests.renderInBrowser(instrumentFolder: folder, performance: performance, exclusive: true).samples
        }
        var expected: [Float] = []
        let swiftTime = clock.measure {
            expected = model.render(control: performance.control, deformations: performance.deformations, noise: performance.noise).scalars
        }
        let peak = expected.map(abs).max() ?? 0
        let error = zip(browser, expected).map { abs($0 - $1) }.max() ?? .infinity
        let seconds = Double(model.configuration.sampleCount) / Double(model.configuration.sampleRate)
        print("""
            {"audio_seconds": \(seconds), "browser_seconds_including_page_load": \(browserTime), \
            "swift_render_seconds": \(swiftTime), "relative_max_error": \(error / peak)}
            """)
        #expect(browser.count == expected.count)
        #expect(error / peak < BrowserRenderTests.tolerance)
    }
}
