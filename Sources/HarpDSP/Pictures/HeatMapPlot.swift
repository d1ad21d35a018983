/// A matrix drawn as colours on labelled axes, with an optional colour bar: spectrograms,
/// control signals, attention maps. The matrix `[rows, columns]` fills the axes' ranges: column 0
/// at the horizontal axis's lower end, the last column at its upper end, row 0 at the bottom.
/// Where the area has fewer pixels than the matrix has rows or columns, each pixel shows the
/// largest cell it covers, so a lone peak (a sparse control value, a narrow partial) is never skipped.
public struct HeatMapPlot: Sendable {
    public var title: String
    public var x: PlotAxis
    public var y: PlotAxis
    public var colorMap: ColorMap
    /// Values mapped onto the colour map's ends (the matrix's own extremes when nil).
    public var range: ClosedRange<Float>?
    /// The colour bar's name (e.g. "level (dB)"); no colour bar when nil.
    public var colorBarLabel: String?

    public init(title: String, x: PlotAxis, y: PlotAxis, colorMap: ColorMap = .viridis,
                range: ClosedRange<Float>? = nil, colorBarLabel: String? = nil) {
        self.title = title
        self.x = x
        self.y = y
        self.colorMap = colorMap
        self.range = range
        self.colorBarLabel = colorBarLabel
    }

    static let barWidth = 10

    /// The frame at `width × height`, leaving room on the right for the colour bar.
    public func frame(width: Int, height: Int, values: [Float], textScale: Int = 1) -> PlotFrame {
        var rightMargin = 14
        if let bar = colorBar(values) {
            let widest = bar.ticks().map { BitmapFont.size(of: $0.label, scale: textScale).width }.max() ?? 0
            rightMargin = 16 + Self.barWidth + PlotFrame.tickLength + PlotFrame.gap + widest
                + (bar.label.isEmpty ? 0 : 2 * PlotFrame.gap + BitmapFont.glyphHeight * textScale) + PlotFrame.gap
        }
        return PlotFrame(width: width, height: height, title: title, x: x, y: y, rightMargin: rightMargin, textScale: textScale)
    }

    public func picture(values: [Float], rows: Int, columns: Int, width: Int, height: Int, textScale: Int = 1) -> Picture {
        let frame = frame(width: width, height: height, values: values, textScale: textScale)
        var picture = Picture(width: width, height: height)
        let shownRows = Swift.min(rows, frame.bottom - frame.top + 1), shownColumns = Swift.min(columns, frame.right - frame.left + 1)
        let shown = Self.maxPooled(values, rows: rows, columns: columns, toRows: shownRows, toColumns: shownColumns)
        picture.fillHeatMap(shown, rows: shownRows, columns: shownColumns, x: frame.left..<(frame.right + 1),
                            y: frame.top..<(frame.bottom + 1), colorMap: colorMap, range: colorRange(values))
        frame.drawAxes(on: &picture)
        if let bar = colorBar(values) { drawColorBar(bar, beside: frame, on: &picture) }
        return picture
    }

    /// The values the colour map spans.
    func colorRange(_ values: [Float]) -> ClosedRange<Float> {
        if let range { return range }
        let finite = values.filter(\.isFinite)
        let low = finite.min() ?? 0, high = finite.max() ?? 1
        return low...Swift.max(low, high)
    }

    private func colorBar(_ values: [Float]) -> PlotAxis? {
        guard let colorBarLabel else { return nil }
        let span = colorRange(values)
        return PlotAxis(label: colorBarLabel, range: Double(span.lowerBound)...Double(span.upperBound))
    }

    /// A vertical strip of the colour map from the range's low (bottom) to high (top), ticked on its right.
    private func drawColorBar(_ bar: PlotAxis, beside frame: PlotFrame, on picture: inout Picture) {
        let barLeft = frame.right + 16, barRight = barLeft + Self.barWidth - 1
        let ramp = (0..<64).map { Float($0) / 63 }
        picture.fillHeatMap(ramp, rows: 64, columns: 1, x: barLeft..<(barRight + 1), y: frame.top..<(frame.bottom + 1),
                            colorMap: colorMap, range: 0...1)
        let s = frame.textScale, line = BitmapFont.glyphHeight * s
        var widest = 0
        for tick in bar.ticks() {
            let row = frame.bottom - Int((bar.fraction(tick.value) * Double(frame.bottom - frame.top)).rounded())
            picture.line(from: (barRight + 1, row), to: (barRight + PlotFrame.tickLength, row), .black)
            picture.draw(text: tick.label, x: barRight + PlotFrame.tickLength + PlotFrame.gap, y: row - line / 2, scale: s)
            widest = Swift.max(widest, BitmapFont.size(of: tick.label, scale: s).width)
        }
        if !bar.label.isEmpty {
            let labelWidth = BitmapFont.size(of: bar.label, scale: s).width
            picture.draw(text: bar.label, x: barRight + PlotFrame.tickLength + 3 * PlotFrame.gap + widest,
                         y: (frame.top + frame.bottom + labelWidth) / 2, scale: s, vertical: true)
        }
    }

    /// `[rows, columns]` reduced to `[toRows, toColumns]` (no larger), each output cell the
    /// largest of the input cells it covers.
    static func maxPooled(_ values: [Float], rows: Int, columns: Int, toRows: Int, toColumns: Int) -> [Float] {
        if toRows == rows && toColumns == columns { return values }
        var pooled = [Float](repeating: -.infinity, count: toRows * toColumns)
        for row in 0..<rows {
            let target = row * toRows / rows
            for column in 0..<columns {
                let index = target * toColumns + column * toColumns / columns
                pooled[index] = Swift.max(pooled[index], values[row * columns + column])
            }
        }
        return pooled
    }
}
