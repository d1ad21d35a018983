import Foundation

/// A one-line progress display for long work: a bar, the step, named figures (loss), the rate and
/// the time left. Redraws in place on a terminal, at most a few times a second; prints a plain
/// line every 10 % when standard error is not a terminal (logs, CI).
struct ProgressBar {
    let total: Int
    let label: String
    /// When and at which step the first update came: the rate is measured from there, so the
    /// set-up before the first step (FFT planning, loading) does not inflate the time left.
    private var reference: (time: Date, completed: Int)?
    private var lastDraw = Date.distantPast
    private var lastLoggedTenth = -1
    private let isTerminal = isatty(STDERR_FILENO) != 0

    init(total: Int, label: String) {
        self.total = max(total, 1)
        self.label = label
    }

    /// Shows progress after `completed` steps (of `total`, including any done before a resume).
    mutating func update(completed: Int, figures: KeyValuePairs<String, Double> = [:]) {
        let now = Date()
        if reference == nil { reference = (now, completed) }
        let done = completed >= total
        let tenth = completed * 10 / total
        if isTerminal {
            guard done || now.timeIntervalSince(lastDraw) >= 0.2 else { return }
        } else {
            guard done || tenth > lastLoggedTenth else { return }
            lastLoggedTenth = tenth
        }
        lastDraw = now
        let line = render(completed: completed, figures: figures, now: now)
        FileHandle.standardError.write(Data((isTerminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    /// Ends the line on a terminal.
    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func render(completed: Int, figures: KeyValuePairs<String, Double>, now: Date) -> String {
        let fraction = Double(min(completed, total)) / Double(total)
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let reference = reference ?? (now, completed)
        let elapsed = now.timeIntervalSince(reference.time)
        let rate = elapsed > 0 ? Double(completed - reference.completed) / elapsed : 0
        let remaining = rate > 0 ? Double(total - completed) / rate : .nan
        let numbers = figures.map { "\($0.key) \(Self.format($0.value))" }.joined(separator: "  ")
        let rateText = rate > 0 ? String(format: "%.1f", rate) : "--"
        return "\(label) \(bar) \(completed)/\(total)  \(numbers)  \(rateText) it/s  "
            + "left \(Self.duration(remaining))"
    }

    static func format(_ value: Double) -> String {
        abs(value) >= 1000 || abs(value) < 0.01 ? String(format: "%.3e", value) : String(format: "%.4f", value)
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
