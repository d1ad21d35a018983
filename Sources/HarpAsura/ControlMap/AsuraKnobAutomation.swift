import Foundation

/// Knob values over time, for an offline render: a JSON file
///
///     {"points": [{"time": 0, "knobs": [0, 0, 0]}, {"time": 4.5, "knobs": [1, -0.5, 0]}],
///      "duration": 8}
///
/// Values are linear between points and held before the first and after the last; `duration`
/// (seconds) defaults to the last point's time. Knobs range over [−1, 1] (play.py's knobs); values
/// outside are clamped, and `clampedCount` says how many were.
public struct AsuraKnobAutomation: Sendable, Equatable {
    public struct Point: Codable, Sendable, Equatable {
        public var time: Double
        public var knobs: [Float]
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case unreadable(String)
        case invalid(String)

        public var description: String {
            switch self {
            case let .unreadable(reason): "knob file: \(reason)"
            case let .invalid(reason): "knob file: \(reason)"
            }
        }
    }

    public let points: [Point]
    public let durationSeconds: Double
    /// Values that were outside [−1, 1] and are clamped.
    public let clampedCount: Int
    /// The first clamped value, as "point P knob K = V", for the one note a caller prints.
    public let firstClamped: String?

    struct File: Codable {
        var points: [Point]
        var duration: Double?
    }

    /// - Throws: `Failure` for unreadable JSON, no points, times that go backwards or are not
    ///   finite, a point with another number of knobs than `knobCount`, or a duration ≤ 0.
    public init(jsonData: Data, knobCount: Int) throws {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: jsonData) } catch {
            throw Failure.unreadable("not {\"points\": [{\"time\": seconds, \"knobs\": [values]}, …]} (\(error.localizedDescription))")
        }
        guard !file.points.isEmpty else { throw Failure.invalid("no points") }
        var clamped = 0, first: String?
        var points: [Point] = []
        for (p, point) in file.points.enumerated() {
            guard point.knobs.count == knobCount else {
                throw Failure.invalid("point \(p) has \(point.knobs.count) knob values, the map has \(knobCount) knobs")
            }
            guard point.time.isFinite, point.time >= (points.last?.time ?? 0) else {
                throw Failure.invalid("point \(p): time \(point.time) is not finite, negative or before the previous point's")
            }
            guard point.knobs.allSatisfy(\.isFinite) else { throw Failure.invalid("point \(p) has a value that is not a number") }
            let values = point.knobs.enumerated().map { k, value -> Float in
                guard abs(value) > 1 else { return value }
                clamped += 1
                if first == nil { first = "point \(p) knob \(k) = \(value)" }
                return min(1, max(-1, value))
            }
            points.append(Point(time: point.time, knobs: values))
        }
        let duration = file.duration ?? points.last!.time
        guard duration > 0, duration.isFinite else { throw Failure.invalid("the duration is \(duration) s; give \"duration\" > 0") }
        self.points = points
        durationSeconds = duration
        clampedCount = clamped
        firstClamped = first
    }

    /// The knob values at `time` seconds.
    public func knobs(at time: Double) -> [Float] {
        guard let next = points.firstIndex(where: { $0.time > time }) else { return points.last!.knobs }
        guard next > 0 else { return points[0].knobs }
        let (a, b) = (points[next - 1], points[next])
        let w = Float((time - a.time) / (b.time - a.time))
        return zip(a.knobs, b.knobs).map { $0 + w * ($1 - $0) }
    }
}
