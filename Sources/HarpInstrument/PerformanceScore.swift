import Foundation
import HarpTensor

/// A performance written by hand: events at times, each a control vector, a frame of the fitted
/// control signal, or one of the instrument's named events, plus an optional deformation curve.
/// For people who do not write arrays.
///
/// ```json
/// { "events": [ { "time": 0.0, "event": 0 },
///               { "time": 0.5, "frame": 312, "gain": 0.8 },
///               { "time": 1.2, "control": [0, 0, 1.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] } ],
///   "deformation": [ { "time": 0, "weights": [1, 0] }, { "time": 3, "weights": [0, 1] } ] }
/// ```
///
/// `event` N is the fitted control signal's N-th strongest frame (`InstrumentModel.namedEvents`);
/// `gain` scales any event (default 1). Deformation weights (one per variant, normalised) are
/// held before the first point and after the last, and interpolated linearly between points.
public struct PerformanceScore: Codable, Equatable {
    public struct Event: Codable, Equatable {
        public var time: Double
        public var control: [Float]?
        public var frame: Int?
        public var event: Int?
        public var gain: Float?
    }

    public struct DeformationPoint: Codable, Equatable {
        public var time: Double
        public var weights: [Float]
    }

    public var events: [Event]
    public var deformation: [DeformationPoint]?

    /// Reads a score, refusing files over 4 MiB before parsing. Messages do not repeat the file's
    /// name: the caller names it.
    public static func read(from url: URL) throws -> PerformanceScore {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard let attributes else { throw InstrumentError.badScore("no such file") }
        guard (attributes[.type] as? FileAttributeType) != .typeDirectory else { throw InstrumentError.badScore("is a folder") }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= 4 << 20 else { throw InstrumentError.badScore("larger than 4 MiB") }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw InstrumentError.badScore("cannot be read") }
        do {
            return try JSONDecoder().decode(PerformanceScore.self, from: data)
        } catch let error as DecodingError {
            throw InstrumentError.badScore(Self.describe(error))
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\" at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "wrong type at \(path(context))"
        case .dataCorrupted(let context): return "not valid JSON (\(context.debugDescription))"
        @unknown default: return "unreadable"
        }
    }

    static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    /// The control signal `[C, F]` and deformation logits `[E, D]` this score asks of `model`.
    public func resolved(for model: InstrumentModel) throws -> (control: Tensor, deformations: Tensor) {
        let c = model.configuration
        let fitted = model.controlSignal.scalars
        let named = model.namedEvents()
        var control = [Float](repeating: 0, count: c.controlPlaneDimension * c.frameCount)
        let secondsPerFrame = Double(c.controlStep) / Double(c.sampleRate)
        for (index, event) in events.enumerated() {
            guard event.time.isFinite, event.time >= 0 else { throw InstrumentError.badScore("event \(index): time must be ≥ 0") }
            let frame = Int((event.time / secondsPerFrame).rounded())
            guard frame < c.frameCount else { continue }   // past the end of the instrument's segment
            let gain = event.gain ?? 1
            guard gain.isFinite, gain >= 0, gain <= 1000 else { throw InstrumentError.badScore("event \(index): gain must be in 0…1000") }
            let vector: [Float]
            switch (event.control, event.frame, event.event) {
            case (let values?, nil, nil):
                guard values.count == c.controlPlaneDimension, values.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                    throw InstrumentError.badScore("event \(index): control needs \(c.controlPlaneDimension) non-negative numbers")
                }
                vector = values
            case (nil, let source?, nil):
                guard (0..<c.frameCount).contains(source) else { throw InstrumentError.badScore("event \(index): frame outside 0…\(c.frameCount - 1)") }
                vector = (0..<c.controlPlaneDimension).map { fitted[$0 * c.frameCount + source] }
            case (nil, nil, let n?):
                guard named.indices.contains(n) else { throw InstrumentError.badScore("event \(index): event must be in 0…\(named.count - 1)") }
                vector = named[n]
            default:
                throw InstrumentError.badScore("event \(index): give exactly one of control, frame or event")
            }
            for d in 0..<c.controlPlaneDimension { control[d * c.frameCount + frame] += gain * vector[d] }
        }
        return (Tensor(shape: [c.controlPlaneDimension, c.frameCount], values: control), try deformationLogits(c))
    }

    /// log(weights) per deformation frame, less the model's resting bias on variant 0, so that
    /// softmax(bias + logits) reproduces the weights.
    func deformationLogits(_ c: InstrumentConfiguration) throws -> Tensor {
        let frames = c.deformationFrameCount
        guard let points = deformation, !points.isEmpty else { return Tensor.zeros([c.expressivity, frames]) }
        for (i, p) in points.enumerated() {
            guard p.weights.count == c.expressivity, p.weights.allSatisfy({ $0.isFinite && $0 >= 0 }), p.weights.contains(where: { $0 > 0 }),
                  p.time.isFinite else {
                throw InstrumentError.badScore("deformation point \(i): weights need \(c.expressivity) non-negative numbers, not all zero")
            }
        }
        let sorted = points.sorted { $0.time < $1.time }
        var logits = [Float](repeating: 0, count: c.expressivity * frames)
        let secondsPerFrame = Double(c.deformationFrameSize) / Double(c.sampleRate)
        for f in 0..<frames {
            let t = Double(f) * secondsPerFrame
            let after = sorted.firstIndex { $0.time > t } ?? sorted.count
            let a = sorted[Swift.max(0, after - 1)], b = sorted[Swift.min(sorted.count - 1, after)]
            let span = b.time - a.time
            let fraction = span > 0 ? Float(Swift.min(1, Swift.max(0, (t - a.time) / span))) : 0
            let mixed = zip(a.weights, b.weights).map { $0 + fraction * ($1 - $0) }
            let total = mixed.reduce(0, +)
            for e in 0..<c.expressivity {
                let weight = Swift.max(mixed[e] / total, 1e-6)
                logits[e * frames + f] = Foundation.log(weight) - (e == 0 ? 1 : 0)
            }
        }
        return Tensor(shape: [c.expressivity, frames], values: logits)
    }
}

extension InstrumentModel {
    /// The fitted control signal's frames with the most energy, strongest first, at most `count`,
    /// skipping frames within 4 of one already chosen (one event per attack, not its neighbours).
    /// The keyboard of the web player and `event` in scores use this list.
    public func namedEvents(count: Int = 16) -> [[Float]] {
        let c = configuration
        let values = controlSignal.scalars
        let energy = (0..<c.frameCount).map { f in (0..<c.controlPlaneDimension).reduce(Float(0)) { $0 + values[$1 * c.frameCount + f] } }
        var chosen: [Int] = []
        for f in energy.indices.sorted(by: { energy[$0] != energy[$1] ? energy[$0] > energy[$1] : $0 < $1 }) where energy[f] > 0 {
            if chosen.allSatisfy({ Swift.abs($0 - f) > 4 }) { chosen.append(f) }
            if chosen.count == count { break }
        }
        return chosen.map { f in (0..<c.controlPlaneDimension).map { values[$0 * c.frameCount + f] } }
    }
}
