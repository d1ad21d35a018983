import Foundation
import HarpInstrument
import HarpServer
import HarpTensor
import Hummingbird
import HummingbirdTesting
import Testing

/// The browser's sound equals `harp render`'s: headless Chromium renders a fixed performance
/// offline (OfflineAudioContext, the player's own worklet: attacks, resonator filter banks, mix),
/// with the same attack noise, and the samples are compared with `InstrumentModel.render`.
@Suite(.enabled(if: Chromium.path != nil, Comment(rawValue: Chromium.skipReason)), .serialized)
struct BrowserRenderTests {
    /// Largest |browser − Swift| relative to the largest |Swift| sample. Swift convolves float32
    /// resonances by FFT, the browser runs the oscillators as filters in double precision; measured
    /// ≈ 1.4e-7 (tiny) and 2.5e-7 (default size) (see docs/web-player.md).
    static let tolerance: Float = 2e-4

    @Test(.timeLimit(.minutes(10)), arguments: [1, 2])
    func browserRenderingMatchesHarpRender(layers: Int) async throws {
        let folder = try TestInstrument.makeFolder()
        let url = try TestInstrument.write(named: "bell", in: folder, seed: 11, layers: layers)
        let model = try InstrumentFile.load(from: url).model
        let performance = Self.performance(for: model)
        let expected = model.render(control: performance.control, deformations: performance.deformations,
                                    noise: performance.noise).scalars
        let browser = try await Self.renderInBrowser(instrumentFolder: folder, performance: performance).samples
        try #require(browser.count == expected.count, "browser returned \(browser.count) samples")
        let peak = expected.map(abs).max() ?? 0
        let error = zip(browser, expected).map { abs($0 - $1) }.max() ?? .infinity
        print("browser vs Swift, \(layers) layer(s): max |diff| \(error), peak \(peak), relative \(error / peak)")
        #expect(peak > 1e-3, "the performance should make sound")
        #expect(error / peak < Self.tolerance)
        // The comparison can tell renderings apart: the resting deformation alone changes the sound far more.
        let resting = model.render(control: performance.control, deformations: model.restingDeformations,
                                   noise: performance.noise).scalars
        let deformationEffect = zip(resting, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(deformationEffect > 100 * error, "deformation changes the sound by \(deformationEffect)")
    }

    /// The live path: a running AudioContext fed by port messages, as the player's controls feed it,
    /// makes sound (headless Chromium plays into a fake audio device).
    @Test(.timeLimit(.minutes(10)))
    func livePlayingMakesSound() async throws {
        let folder = try TestInstrument.makeFolder()
        let url = try TestInstrument.write(named: "bell", in: folder, seed: 11)
        let model = try InstrumentFile.load(from: url).model
        let answer = try await Self.renderInBrowser(
            instrumentFolder: folder, performance: Self.performance(for: model), mode: "live",
            browserArguments: ["--autoplay-policy=no-user-gesture-required", "--use-fake-device-for-media-stream"])
        let recorded = answer.samples
        let peak = recorded.map(abs).max() ?? 0
        let clockRatio = Double(answer.query["clock_ratio"] ?? "") ?? 0
        print("live: \(recorded.count) samples recorded, peak \(peak), audio clock / wall clock \(clockRatio)")
        #expect(recorded.count > model.configuration.sampleRate / 2, "about a second should be recorded")
        #expect(peak > 1e-3 && recorded.allSatisfy(\.isFinite))
    }

    /// A fixed performance: sparse control with a few repeated strikes, a deformation sweep,
    /// the model's own noise draw.
    static func performance(for model: InstrumentModel) -> (control: Tensor, deformations: Tensor, noise: [Tensor]) {
        let c = model.configuration
        var generator = RandomGenerator(seed: 99)
        var control = model.randomControl(eventCount: 20, generator: &generator).scalars
        for f in stride(from: 3, to: c.frameCount, by: 40) { control[(f % c.controlPlaneDimension) * c.frameCount + f] = 0.8 }
        let d = c.deformationFrameCount
        let sweep = (0..<(c.expressivity * d)).map { i -> Float in
            i < d ? 0 : 3 * sin(2 * .pi * Float(i % d) / Float(d))
        }
        return (Tensor(shape: [c.controlPlaneDimension, c.frameCount], values: control),
                Tensor(shape: [c.expressivity, d], values: sweep), model.drawNoise())
    }

    /// What the harness page posted: its samples (or figures) and the query of its result request.
    struct Answer {
        var samples: [Float]
        var query: [String: String]
        /// CPU seconds the browser's renderer processes used between each pair of marks the page
        /// posted (`/test/mark`, before and after a timed piece of work).
        var markedCPUSeconds: [Double] = []
    }

    /// Serves the instrument, the case and a result route; opens the harness page (`mode`, `parameters`
    /// added to its query); waits for the answer.
    static func renderInBrowser(instrumentFolder: URL, performance: (control: Tensor, deformations: Tensor, noise: [Tensor]),
                                mode: String = "offline", parameters: String = "", browserArguments: [String] = [],
                                exclusive: Bool = false) async throws -> Answer {
        var limits = ServerLimits()
        limits.allowedMethods.insert("POST")
        let server = try HarpServer(catalog: InstrumentCatalog(paths: [instrumentFolder.path]), limits: limits)
        var tensors = ["control": performance.control, "deformations": performance.deformations]
        for (l, noise) in performance.noise.enumerated() { tensors["noise.\(l)"] = noise }
        let caseData = SafeTensors.encoded(tensors)
        let mailbox = Mailbox()
        let router = server.makeRouter()
        router.get("/test/case") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: ByteBuffer(bytes: caseData)))
        }
        router.post("/test/result") { request, _ in
            let body = try await request.body.collect(upTo: 64 << 20)
            print("browser timing: \(request.uri.query ?? "")")
            await mailbox.deliver(.success(Data(buffer: body), request.uri.query ?? ""))
            return HTTPResponse.Status.ok
        }
        let marks = CPUMarks()
        router.post("/test/mark") { _, _ in
            marks.mark()
            return HTTPResponse.Status.ok
        }
        router.post("/test/error") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            await mailbox.deliver(.failure(String(buffer: body)))
            return HTTPResponse.Status.ok
        }
        let app = server.makeApplication(router: router, port: 0)
        return try await app.test(.live) { client in try await BrowserTurn.run(exclusive: exclusive) {
            let port = try #require(client.port)
            let browser = try Chromium.open("http://127.0.0.1:\(port)/static/harness.html?instrument=bell&mode=\(mode)\(parameters)",
                                            extraArguments: browserArguments)
            defer { Chromium.stop(browser) }
            marks.browser = browser.processIdentifier
            let (data, query) = try await mailbox.wait(seconds: 150)
            var fields: [String: String] = [:]
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { fields[parts[0]] = parts[1] }
            }
            return Answer(samples: data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }, query: fields,
                          markedCPUSeconds: marks.intervals)
        } }
    }
}

/// The renderer processes' CPU time at each mark the page posts.
final class CPUMarks: @unchecked Sendable {
    private let lock = NSLock()
    private var browserIdentifier: pid_t = 0
    private var readings: [Double] = []

    var browser: pid_t {
        get { lock.withLock { browserIdentifier } }
        set { lock.withLock { browserIdentifier = newValue } }
    }

    func mark() {
        let seconds = ProcessCPU.seconds(under: browser, commandLineContaining: "--type=renderer") ?? .nan
        lock.withLock { readings.append(seconds) }
    }

    /// Differences between consecutive pairs of marks (start, end).
    var intervals: [Double] {
        lock.withLock { stride(from: 1, to: readings.count, by: 2).map { readings[$0] - readings[$0 - 1] } }
    }
}

/// Where the page's answer arrives.
actor Mailbox {
    enum Letter { case success(Data, String), failure(String) }
    private var letter: Letter?

    func deliver(_ letter: Letter) { self.letter = letter }

    struct PageError: Error, CustomStringConvertible { let description: String }

    /// The body and query the page posted, or the error it reported; throws after `seconds`.
    func wait(seconds: Double) async throws -> (Data, String) {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            switch letter {
            case .success(let data, let query): return (data, query)
            case .failure(let message): throw PageError(description: "the page failed: \(message)")
            case nil: try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw PageError(description: "no answer from the browser within \(seconds) s")
    }
}
