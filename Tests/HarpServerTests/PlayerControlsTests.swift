import Foundation
import HarpAudio
import HarpInstrument
import Testing

/// The controls a person has on the player page, used in headless Chromium as a person would use
/// them (real clicks, key presses and drags; a mocked WebMIDI device; synthetic motion events),
/// with a fitted instrument. What reaches the engine — the messages posted to the audio worklet —
/// is compared with what the Swift model says the control should play (`LearnedEvents`).
@Suite(.enabled(if: Chromium.path != nil, Comment(rawValue: Chromium.skipReason)), .serialized)
struct PlayerControlsTests {
    static let tolerance: Float = 1e-5
    /// A take's peak above this (−80 dBFS; 3 steps of 16-bit) is sound: before any event the engine's output is exactly 0.
    static let audible = 1e-4

    /// A fitted instrument in a fresh folder, with the events the player should learn from it.
    static func fittedInstrument() throws -> (folder: URL, model: InstrumentModel, events: [[Float]]) {
        let folder = try TestInstrument.makeFolder()
        let model = try TestInstrument.writeFitted(named: "bell", in: folder)
        let events = LearnedEvents.of(model)
        try #require(events.count >= 3, "the fitted control signal should give a few distinct events")
        return (folder, model, events)
    }

    @Test(.timeLimit(.minutes(10)))
    func pageShowsItsStateAndLatency() async throws {
        let (folder, _, events) = try Self.fittedInstrument()
        try await PlayerPage.with(instrumentFolder: folder) { page in
            let ready = try await page.statusLine()
            #expect(ready.hasPrefix("ready") && ready.contains("\(events.count) events"), "\(ready)")
            #expect(try await page.evaluate("document.getElementById('start').disabled") as? Bool == false)
            try await page.startSound()
            #expect(try await page.statusLine().hasPrefix("playing"))
            let latency = try await page.evaluate("document.getElementById('latency').textContent") as? String ?? ""
            print("latency line: \(latency)")
            #expect(latency.hasPrefix("latency: base ") && latency.contains(" ms"), "\(latency)")
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func computerKeyboardPlaysTheLearnedEvents() async throws {
        let (folder, _, events) = try Self.fittedInstrument()
        try await PlayerPage.with(instrumentFolder: folder) { page in
            #expect(try await page.evaluate("document.querySelectorAll('#keys button').length") as? Int == events.count)
            try await page.startSound()
            let peak = try await page.recordedPeak {
                try await page.press("a")
                try await page.press("s", shift: true)
                try await page.press("d")
                try await page.press("z") // not mapped: plays nothing
            }
            #expect(peak > Self.audible, "the keys should make sound: peak \(peak)")
            let sent = try await page.waitForEvents(3)
            try #require(sent.count == 3, "one event per mapped key, none for z: \(sent.count)")
            #expect(LearnedEvents.relativeDifference(sent[0], events[0]) < Self.tolerance)
            #expect(LearnedEvents.relativeDifference(sent[1], events[1].map { 2 * $0 }) < Self.tolerance, "Shift plays twice as strong")
            #expect(LearnedEvents.relativeDifference(sent[2], events[2]) < Self.tolerance)
        }
    }

    /// A WebMIDI device, mocked before the page loads: `window.harpMIDI.onmidimessage` is set by the page.
    static let midiDevice = """
        window.harpMIDI = { name: 'Harp test keyboard', onmidimessage: null };
        const harpAccess = { inputs: new Map([['test', window.harpMIDI]]), outputs: new Map(), onstatechange: null };
        Object.defineProperty(Navigator.prototype, 'requestMIDIAccess', { configurable: true, value: () => Promise.resolve(harpAccess) });
        """

    @Test(.timeLimit(.minutes(10)))
    func webMIDINoteOnPlaysAnEventWithVelocityAndModWheelDeforms() async throws {
        let (folder, model, events) = try Self.fittedInstrument()
        try await PlayerPage.with(instrumentFolder: folder, scripts: [Self.midiDevice]) { page in
            try await page.startSound()
            try await page.waitUntil("document.getElementById('midi').textContent === 'MIDI: Harp test keyboard'")
            let send = { (bytes: [Int]) in
                _ = try await page.evaluate("window.harpMIDI.onmidimessage({ data: new Uint8Array(\(bytes)) })")
            }
            let peak = try await page.recordedPeak {
                try await send([0x90, 61, 100])  // note-on, note 61, velocity 100
                try await send([0x90, 62, 0])    // velocity 0 is a note-off: nothing
                try await send([0x80, 62, 64])   // note-off: nothing
                try await send([0x91, 2, 127])   // note-on on channel 2, full velocity
            }
            #expect(peak > Self.audible, "MIDI notes should make sound: peak \(peak)")
            let sent = try await page.waitForEvents(2)
            try #require(sent.count == 2, "\(sent.count) events")
            #expect(LearnedEvents.relativeDifference(sent[0], events[61 % events.count].map { $0 * 2 * 100 / 127 }) < Self.tolerance)
            #expect(LearnedEvents.relativeDifference(sent[1], events[2 % events.count].map { $0 * 2 }) < Self.tolerance)
            try await send([0xB0, 1, 64])    // CC1, the mod wheel
            let slider = try await page.evaluate("Number(document.getElementById('deformation').value)") as? Double ?? -1
            #expect(abs(slider - 64.0 / 127) < 2e-3, "slider at \(slider)")
            let weights = try await Self.lastDeformation(page)
            #expect(LearnedEvents.relativeDifference(weights, Self.sliderWeights(64.0 / 127, model)) < Self.tolerance)
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func deviceMotionPlaysTheTiltedEventAndOrientationDeforms() async throws {
        let (folder, model, events) = try Self.fittedInstrument()
        try await PlayerPage.with(instrumentFolder: folder) { page in
            try await page.startSound()
            try await page.click("#motion")
            try await page.waitUntil("document.getElementById('motion').disabled")
            let peak = try await page.recordedPeak {
                // Tilted fully left (gamma −90°) and pitched forward (beta 90°), then a shake of 12 m/s².
                try await page.evaluate("window.dispatchEvent(new DeviceOrientationEvent('deviceorientation', { alpha: 0, beta: 90, gamma: -90 }))")
                try await page.evaluate("window.dispatchEvent(new DeviceMotionEvent('devicemotion', { acceleration: { x: 0, y: 0, z: 12 } }))")
                try await page.evaluate("window.dispatchEvent(new DeviceMotionEvent('devicemotion', { acceleration: { x: 1, y: 0, z: 1 } }))") // too gentle
                try await Task.sleep(for: .milliseconds(200))
                // Tilted fully right, a harder shake: the last event, 1.5 times as strong.
                try await page.evaluate("window.dispatchEvent(new DeviceOrientationEvent('deviceorientation', { alpha: 0, beta: 90, gamma: 90 }))")
                try await page.evaluate("window.dispatchEvent(new DeviceMotionEvent('devicemotion', { acceleration: { x: 0, y: 18, z: 0 } }))")
            }
            #expect(peak > Self.audible, "shakes should make sound: peak \(peak)")
            let sent = try await page.waitForEvents(2)
            try #require(sent.count == 2, "\(sent.count) events")
            #expect(LearnedEvents.relativeDifference(sent[0], events[0]) < Self.tolerance)
            #expect(LearnedEvents.relativeDifference(sent[1], events[events.count - 1].map { 1.5 * $0 }) < Self.tolerance)
            let slider = try await page.evaluate("Number(document.getElementById('deformation').value)") as? Double ?? -1
            #expect(slider == 1, "beta 90° moves the deformation to the end: \(slider)")
            let weights = try await Self.lastDeformation(page)
            #expect(LearnedEvents.relativeDifference(weights, Self.sliderWeights(1, model)) < Self.tolerance)
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func xyPadAndDeformationSliderDriveTheEngine() async throws {
        let (folder, model, events) = try Self.fittedInstrument()
        try await PlayerPage.with(instrumentFolder: folder) { page in
            try await page.startSound()
            var box: [Double] = [], press = (x: 0.0, y: 0.0), drag = (x: 0.0, y: 0.0)
            let peak = try await page.recordedPeak {
                box = try await page.box(of: "#pad") // scrolled into view (pressing Record may have scrolled)
                press = ((box[0] + 0.5 * box[2]).rounded(), (box[1] + 0.25 * box[3]).rounded())
                drag = ((box[0] + 0.9 * box[2]).rounded(), (box[1] + 0.75 * box[3]).rounded())
                try await page.mouse("mouseMoved", press.x, press.y, buttons: 0)
                try await page.mouse("mousePressed", press.x, press.y, buttons: 1)
                try await Task.sleep(for: .milliseconds(150))
                try await page.mouse("mouseMoved", drag.x, drag.y, buttons: 1) // a held finger moved: plays again
                try await page.mouse("mouseReleased", drag.x, drag.y, buttons: 0)
                try await page.mouse("mouseMoved", press.x, press.y, buttons: 0) // not held: nothing
            }
            #expect(peak > Self.audible, "the pad should make sound: peak \(peak)")
            let sent = try await page.waitForEvents(2)
            try #require(sent.count == 2, "\(sent.count) events")
            for (i, point) in [press, drag].enumerated() {
                let x = (point.x - box[0]) / box[2], y = (point.y - box[1]) / box[3]
                let strength = Float(0.25 + 1.75 * (1 - y))
                let expected = LearnedEvents.at(x, in: events).map { $0 * strength }
                #expect(LearnedEvents.relativeDifference(sent[i], expected) < Self.tolerance, "pad touch \(i) at (\(x), \(y))")
            }
            // The slider, clicked near its right end.
            try await page.click("#deformation", x: 0.8)
            let slider = try await page.evaluate("Number(document.getElementById('deformation').value)") as? Double ?? -1
            #expect(slider > 0.5 && slider < 1, "slider at \(slider)")
            let weights = try await Self.lastDeformation(page)
            #expect(LearnedEvents.relativeDifference(weights, Self.sliderWeights(slider, model)) < Self.tolerance)
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func twoFingersOnThePadPlayTwoEvents() async throws {
        let (folder, _, events) = try Self.fittedInstrument()
        try await PlayerPage.with(instrumentFolder: folder) { page in
            try await page.startSound()
            try await page.browser.send("Emulation.setTouchEmulationEnabled", ["enabled": true, "maxTouchPoints": 5], session: page.session)
            let box = try await page.box(of: "#pad")
            let fingers = [(x: 0.1, y: 0.5), (x: 0.7, y: 0.1)].map { f in
                (x: (box[0] + f.x * box[2]).rounded(), y: (box[1] + f.y * box[3]).rounded())
            }
            let points = fingers.enumerated().map { ["x": $0.element.x, "y": $0.element.y, "id": $0.offset] as [String: Any] }
            try await page.browser.send("Input.dispatchTouchEvent", ["type": "touchStart", "touchPoints": points], session: page.session)
            try await page.browser.send("Input.dispatchTouchEvent", ["type": "touchEnd", "touchPoints": []], session: page.session)
            let sent = try await page.waitForEvents(2)
            try #require(sent.count == 2, "\(sent.count) events")
            // Both fingers play, each its own event and strength (in whichever order the browser reports them).
            let expected = fingers.map { f in
                let x = (f.x - box[0]) / box[2], y = (f.y - box[1]) / box[3]
                return LearnedEvents.at(x, in: events).map { $0 * Float(0.25 + 1.75 * (1 - y)) }
            }
            for finger in expected {
                #expect(sent.contains { LearnedEvents.relativeDifference($0, finger) < Self.tolerance })
            }
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func replayButtonSchedulesTheFittedPerformance() async throws {
        let (folder, model, _) = try Self.fittedInstrument()
        try await PlayerPage.with(instrumentFolder: folder) { page in
            try await page.startSound()
            let seconds = Double(model.configuration.sampleCount) / Double(model.configuration.sampleRate)
            var status = ""
            let peak = try await page.recordedPeak {
                try await page.click("#replay")
                status = try await page.statusLine()
                try await Task.sleep(for: .seconds(seconds))
            }
            #expect(peak > Self.audible, "the replay should make sound: peak \(peak)")
            #expect(status.hasPrefix("recording — replaying the original performance"), "\(status)")
            try await page.waitUntil("window.harpSent.some((m) => m.type === 'curve')")
            let performance = try #require(try await page.sentMessages(type: "performance").first)
            let control = (performance["control"] as? [Double] ?? []).map(Float.init)
            #expect(LearnedEvents.relativeDifference(control, model.controlSignal.scalars) < Self.tolerance)
            let curve = try #require(try await page.sentMessages(type: "curve").first)
            let weights = (curve["weights"] as? [Double] ?? []).map(Float.init)
            #expect(LearnedEvents.relativeDifference(weights, Self.curveWeights(model)) < Self.tolerance)
            #expect(performance["start"] as? Int == curve["start"] as? Int, "control and deformation start together")
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func recordingDownloadsAValidNonSilentWAV() async throws {
        let (folder, model, _) = try Self.fittedInstrument()
        let file = try await PlayerPage.with(instrumentFolder: folder) { page -> URL in
            try await page.startSound()
            try await page.click("#record")
            try await page.waitForState("recording")
            for key: Character in ["a", "s", "d", "f"] {
                try await page.press(key, shift: true)
                try await Task.sleep(for: .milliseconds(150))
            }
            try await Task.sleep(for: .milliseconds(600))
            try await page.click("#record")
            try await page.waitForState("playing")
            #expect(try await page.statusLine().contains("recorded"))
            try await page.waitUntil("!document.getElementById('download').hidden")
            try await page.click("#download")
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: page.downloads.path)) ?? []
                if let name = names.first(where: { $0.hasSuffix(".wav") }) { return page.downloads.appendingPathComponent(name) }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw PlayerPage.PageError(description: "no WAV was downloaded")
        }
        let bytes = [UInt8](try Data(contentsOf: file))
        print("downloaded \(file.lastPathComponent): \(bytes.count) bytes")
        let word = { (offset: Int, count: Int) in (0..<count).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) } }
        try #require(bytes.count > 44)
        #expect(String(decoding: bytes[0..<4], as: UTF8.self) == "RIFF" && String(decoding: bytes[8..<12], as: UTF8.self) == "WAVE")
        #expect(word(4, 4) == bytes.count - 8, "RIFF size")
        #expect(String(decoding: bytes[12..<16], as: UTF8.self) == "fmt " && word(20, 2) == 1, "PCM")
        #expect(word(22, 2) == 1 && word(24, 4) == model.configuration.sampleRate && word(34, 2) == 16, "mono 16-bit at the model's rate")
        #expect(String(decoding: bytes[36..<40], as: UTF8.self) == "data" && word(40, 4) == bytes.count - 44)
        // A standard decoder (libsndfile) reads it too.
        let audio = try AudioFileReader.readAll(path: file.path)
        #expect(audio.sampleRate == model.configuration.sampleRate && audio.channelCount == 1)
        let peak = audio.samples.map(abs).max() ?? 0
        print("recording: \(String(format: "%.2f", audio.durationSeconds)) s, peak \(peak)")
        #expect(audio.durationSeconds > 0.8 && audio.durationSeconds < 10)
        #expect(peak > 1e-3, "the take should not be silent")
    }

    /// The weights the last `deformation` message carried.
    static func lastDeformation(_ page: PlayerPage) async throws -> [Float] {
        let message = try #require(try await page.sentMessages(type: "deformation").last)
        return (message["weights"] as? [Double] ?? []).map(Float.init)
    }

    /// The slider's blend at position p: softmax over e of one-hot(0) + (−4(e − p(E−1))² − one-hot(0)).
    static func sliderWeights(_ p: Double, _ model: InstrumentModel) -> [Float] {
        let E = model.configuration.expressivity
        let logits = (0..<E).map { e in -4 * pow(Double(e) - p * Double(E - 1), 2) }
        let exps = logits.map { exp($0 - logits.max()!) }
        return exps.map { Float($0 / exps.reduce(0, +)) }
    }

    /// The fitted deformation curve as weights [E, D]: softmax over e of one-hot(0) + deformations.
    static func curveWeights(_ model: InstrumentModel) -> [Float] {
        let c = model.configuration
        let (E, D) = (c.expressivity, c.deformationFrameCount)
        let logits = model.deformationCurve.scalars
        var weights = [Float](repeating: 0, count: E * D)
        for d in 0..<D {
            let row = (0..<E).map { Double(logits[$0 * D + d]) + ($0 == 0 ? 1 : 0) }
            let exps = row.map { exp($0 - row.max()!) }
            for e in 0..<E { weights[e * D + d] = Float(exps[e] / exps.reduce(0, +)) }
        }
        return weights
    }
}
