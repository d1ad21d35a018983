import HarpInstrument

/// The events the player learns from a fitted control signal, computed here from the Swift model
/// as docs/web-player.md states the rule — the oracle for what keys, pad, MIDI and motion play:
/// columns of the control signal [C, F] by decreasing energy, each kept only if its cosine
/// similarity with every kept one is at most 0.9, at most `count`, ordered by their strongest
/// control dimension.
enum LearnedEvents {
    static func of(_ model: InstrumentModel, count: Int = 20) -> [[Float]] {
        let c = model.configuration
        let control = model.controlSignal.scalars
        let (C, F) = (c.controlPlaneDimension, c.frameCount)
        let columns = (0..<F).map { f in (0..<C).map { control[$0 * F + f] } }
        let norm = { (v: [Float]) in v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let loud = columns.enumerated().filter { norm($0.element) > 0 }
            .sorted { norm($0.element) != norm($1.element) ? norm($0.element) > norm($1.element) : $0.offset < $1.offset }
        var kept: [[Float]] = []
        for (_, column) in loud where kept.count < count {
            let similar = kept.contains { k in zip(k, column).reduce(0) { $0 + $1.0 * $1.1 } / (norm(k) * norm(column)) > 0.9 }
            if !similar { kept.append(column) }
        }
        let dominant = { (v: [Float]) in v.indices.max { v[$0] < v[$1] || (v[$0] == v[$1] && $0 > $1) }! }
        return kept.enumerated()
            .sorted { dominant($0.element) != dominant($1.element) ? dominant($0.element) < dominant($1.element) : $0.offset < $1.offset }
            .map(\.element)
    }

    /// The event at x ∈ [0, 1] across `events`, interpolating between neighbours (the pad, the tilt).
    static func at(_ x: Double, in events: [[Float]]) -> [Float] {
        let position = min(max(x, 0), 1) * Double(events.count - 1)
        let i = Int(position.rounded(.down)), fraction = Float(position - Double(i))
        let a = events[i], b = events[min(i + 1, events.count - 1)]
        return zip(a, b).map { (1 - fraction) * $0 + fraction * $1 }
    }

    /// Largest |a − b| relative to the largest |b| (1 when the lengths differ).
    static func relativeDifference(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count, !b.isEmpty else { return 1 }
        let scale = max(b.map(abs).max() ?? 0, 1e-12)
        return (zip(a, b).map { abs($0 - $1) }.max() ?? 0) / scale
    }
}
