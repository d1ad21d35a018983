/// Lines through (x, y) points on labelled axes, each axis linear or logarithmic: loss curves,
/// learning rates, metrics over training. Points that cannot be placed (not finite, or not
/// positive on a log axis) break the line.
///
/// ```swift
/// let loss = LinePlot(title: "loss", x: PlotAxis(label: "iteration", range: 1...1000),
///                     y: PlotAxis.fitting(values, label: "loss", scale: .logarithmic),
///                     series: [.init(x: steps, y: values)])
/// let png = loss.picture(width: 800, height: 300).pngData()
/// ```
public struct LinePlot: Sendable {
    public struct Series: Sendable {
        public var x: [Double]
        public var y: [Double]
        public var color: Picture.Color

        public init(x: [Double], y: [Double], color: Picture.Color = Picture.Color(31, 119, 180)) {
            precondition(x.count == y.count, "LinePlot.Series: \(x.count) x values for \(y.count) y values")
            self.x = x
            self.y = y
            self.color = color
        }
    }

    public var title: String
    public var x: PlotAxis
    public var y: PlotAxis
    /// Drawn in order, so the last lies on top.
    public var series: [Series]

    public init(title: String, x: PlotAxis, y: PlotAxis, series: [Series]) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
    }

    /// The frame this plot uses at `width × height`.
    public func frame(width: Int, height: Int, textScale: Int = 1) -> PlotFrame {
        PlotFrame(width: width, height: height, title: title, x: x, y: y, textScale: textScale)
    }

    public func picture(width: Int, height: Int, textScale: Int = 1) -> Picture {
        let frame = frame(width: width, height: height, textScale: textScale)
        var picture = Picture(width: width, height: height)
        frame.drawGrid(on: &picture)
        for line in series { draw(line, in: frame, on: &picture) }
        frame.drawAxes(on: &picture)
        return picture
    }

    private func draw(_ line: Series, in frame: PlotFrame, on picture: inout Picture) {
        var previous: (x: Int, y: Int)?
        for (u, v) in zip(line.x, line.y) {
            guard placeable(u, on: x), placeable(v, on: y) else { previous = nil; continue }
            let point = (x: clamp(frame.xPixel(u), frame.left, frame.right), y: clamp(frame.yPixel(v), frame.top, frame.bottom))
            picture.line(from: previous ?? point, to: point, line.color)
            previous = point
        }
    }

    private func placeable(_ value: Double, on axis: PlotAxis) -> Bool {
        value.isFinite && (axis.scale == .linear || value > 0)
    }

    private func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int { Swift.min(high, Swift.max(low, value)) }
}
