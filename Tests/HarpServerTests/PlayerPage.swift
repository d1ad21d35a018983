import Foundation
import HarpServer
import Hummingbird
import HummingbirdTesting

/// The player page `/play/<id>` open in headless Chromium, driven as a person would: real mouse
/// clicks, key presses and pointer drags through the DevTools `Input` domain.
///
/// Before the page loads, a script records every message the page posts to a `MessagePort` — the
/// audio worklet's port is how every control reaches the engine — in `window.harpSent`
/// (typed arrays as plain arrays), so a test can read what the engine was sent.
struct PlayerPage {
    let browser: DevToolsBrowser
    let session: String
    let downloads: URL

    /// Records the page's port messages, and keeps the blobs it offers (the CSP's connect-src does not
    /// let a script fetch blob: URLs). Runs in the page before its own scripts.
    static let messageLog = """
        window.harpBlobs = [];
        const harpCreateObjectURL = URL.createObjectURL;
        URL.createObjectURL = (blob) => { window.harpBlobs.push(blob); return harpCreateObjectURL(blob); };
        window.harpSent = [];
        const harpPost = MessagePort.prototype.postMessage;
        MessagePort.prototype.postMessage = function (message, ...rest) {
          window.harpSent.push(JSON.parse(JSON.stringify(message, (key, value) => ArrayBuffer.isView(value) ? Array.from(value) : value)));
          return harpPost.call(this, message, ...rest);
        };
        """

    /// Serves `folder`'s instruments, opens `/play/<id>` with `scripts` run before the page's own,
    /// waits until it is ready and runs `body`; the browser is stopped afterwards.
    static func with<T: Sendable>(instrumentFolder folder: URL, id: String = "bell", scripts: [String] = [],
                                  _ body: @escaping @Sendable (PlayerPage) async throws -> T) async throws -> T {
        let server = try HarpServer(catalog: InstrumentCatalog(paths: [folder.path]))
        let app = server.makeApplication(router: server.makeRouter(), port: 0)
        return try await app.test(.live) { client in try await BrowserTurn.run {
            let port = client.port ?? 0
            let browser = try DevToolsBrowser()
            defer { browser.stop() }
            let downloads = try TestInstrument.makeFolder()
            let target = try await browser.send("Target.createTarget", ["url": "about:blank"])
            let attached = try await browser.send("Target.attachToTarget", ["targetId": target["targetId"] as? String ?? "", "flatten": true])
            let session = attached["sessionId"] as? String ?? ""
            try await browser.send("Browser.setDownloadBehavior", ["behavior": "allow", "downloadPath": downloads.path, "eventsEnabled": true])
            try await browser.send("Page.enable", session: session)
            try await browser.send("Runtime.enable", session: session)
            for script in [messageLog] + scripts {
                try await browser.send("Page.addScriptToEvaluateOnNewDocument", ["source": script], session: session)
            }
            try await browser.send("Page.navigate", ["url": "http://127.0.0.1:\(port)/play/\(id)"], session: session)
            let page = PlayerPage(browser: browser, session: session, downloads: downloads)
            try await page.waitForState("ready")
            return try await body(page)
        } }
    }

    struct PageError: Error, CustomStringConvertible { let description: String }

    /// Evaluates `expression` in the page (awaiting a promise) and returns its value as JSON would.
    @discardableResult
    func evaluate(_ expression: String) async throws -> Any? {
        let answer = try await browser.send("Runtime.evaluate", ["expression": expression, "awaitPromise": true, "returnByValue": true],
                                            session: session)
        if let exception = answer["exceptionDetails"] as? [String: Any] {
            throw PageError(description: "\(expression): \((exception["exception"] as? [String: Any])?["description"] ?? exception)")
        }
        return (answer["result"] as? [String: Any])?["value"]
    }

    /// Waits (at most `seconds`) until `condition` (JavaScript) is true.
    func waitUntil(_ condition: String, seconds: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await evaluate("Boolean(\(condition))") as? Bool == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PageError(description: "not true within \(seconds) s: \(condition); status line: \(try await statusLine())")
    }

    /// Waits until the page's state (`data-state` on #player) is `state`.
    func waitForState(_ state: String, seconds: Double = 60) async throws {
        try await waitUntil("document.getElementById('player') && document.getElementById('player').dataset.state === '\(state)'", seconds: seconds)
    }

    func statusLine() async throws -> String {
        try await evaluate("document.getElementById('status') ? document.getElementById('status').textContent : ''") as? String ?? ""
    }

    /// Presses Start sound and waits until the page plays.
    func startSound() async throws {
        try await click("#start")
        try await waitForState("playing")
    }

    /// The box (left, top, width, height) of the element matching `selector` in CSS pixels, scrolled into view first.
    func box(of selector: String) async throws -> [Double] {
        let box = try await evaluate("""
            (() => { const element = document.querySelector('\(selector)'); element.scrollIntoView({ block: 'nearest' });
                     const b = element.getBoundingClientRect(); return [b.left, b.top, b.width, b.height]; })()
            """) as? [Double] ?? []
        guard box.count == 4 else { throw PageError(description: "no element \(selector)") }
        return box
    }

    /// The centre of the element matching `selector`, or the point at fractions (x, y) of its box, in whole CSS pixels.
    func point(in selector: String, x: Double = 0.5, y: Double = 0.5) async throws -> (x: Double, y: Double) {
        let box = try await box(of: selector)
        return ((box[0] + x * box[2]).rounded(), (box[1] + y * box[3]).rounded())
    }

    /// A left click, as a mouse would make it.
    func click(_ selector: String, x: Double = 0.5, y: Double = 0.5) async throws {
        let at = try await point(in: selector, x: x, y: y)
        try await mouse("mouseMoved", at.x, at.y, buttons: 0)
        try await mouse("mousePressed", at.x, at.y, buttons: 1)
        try await mouse("mouseReleased", at.x, at.y, buttons: 0)
    }

    func mouse(_ type: String, _ x: Double, _ y: Double, buttons: Int) async throws {
        var parameters: [String: Any] = ["type": type, "x": x, "y": y, "buttons": buttons, "pointerType": "mouse"]
        if type != "mouseMoved" { parameters["button"] = "left"; parameters["clickCount"] = 1 } else if buttons != 0 { parameters["button"] = "left" }
        try await browser.send("Input.dispatchMouseEvent", parameters, session: session)
    }

    /// A key press (down and up) of a printable key, with Shift if asked.
    func press(_ key: Character, shift: Bool = false) async throws {
        let text = shift ? String(key).uppercased() : String(key)
        let code = key.isLetter ? "Key\(String(key).uppercased())" : (key == ";" ? "Semicolon" : "")
        let virtualKey = key.isLetter ? Int(String(key).uppercased().unicodeScalars.first!.value) : 186
        var parameters: [String: Any] = ["key": text, "code": code, "text": text, "unmodifiedText": String(key),
                                         "windowsVirtualKeyCode": virtualKey, "modifiers": shift ? 8 : 0]
        parameters["type"] = "keyDown"
        try await browser.send("Input.dispatchKeyEvent", parameters, session: session)
        parameters["type"] = "keyUp"
        parameters.removeValue(forKey: "text")
        try await browser.send("Input.dispatchKeyEvent", parameters, session: session)
    }

    /// Records with the page's Record button while `body` plays, stops, and returns the peak of the
    /// take as the page offers it for download (the WAV blob behind the link, read in the page).
    func recordedPeak(while body: () async throws -> Void, settleMilliseconds: Int = 400) async throws -> Double {
        try await click("#record")
        try await waitForState("recording")
        try await body()
        try await Task.sleep(for: .milliseconds(settleMilliseconds))
        try await click("#record")
        try await waitForState("playing")
        let peak = try await evaluate("""
            window.harpBlobs[window.harpBlobs.length - 1].arrayBuffer().then((bytes) => {
              let peak = 0;
              for (const v of new Int16Array(bytes, 44)) peak = Math.max(peak, Math.abs(v));
              return peak / 32767;
            })
            """) as? Double ?? -1
        print("recorded take: peak \(peak)")
        return peak
    }

    /// The messages the page has posted to the engine so far, optionally of one `type`.
    func sentMessages(type: String? = nil) async throws -> [[String: Any]] {
        let json = try await evaluate("JSON.stringify(window.harpSent)") as? String ?? "[]"
        let all = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
        return type.map { type in all.filter { $0["type"] as? String == type } } ?? all
    }

    /// The control vectors of the live events sent so far, in order.
    func sentEventControls() async throws -> [[Float]] {
        try await sentMessages(type: "events").flatMap { message in
            (message["events"] as? [[String: Any]] ?? []).map { event in
                (event["control"] as? [Double] ?? []).map(Float.init)
            }
        }
    }

    /// Waits until `count` live events have been sent, and returns their controls.
    func waitForEvents(_ count: Int, seconds: Double = 10) async throws -> [[Float]] {
        try await waitUntil("window.harpSent.filter((m) => m.type === 'events').length >= \(count)", seconds: seconds)
        return try await sentEventControls()
    }
}
