/// The layout every Harp plot shares: a title on top, a rectangular plot area, tick marks with
/// their values below and left of it, the axes' names under and beside those, and optionally
/// room on the right (for a colour bar). It maps axis values to pixels and draws the frame.
public struct PlotFrame: Sendable {
    public let width: Int
    public let height: Int
    public let title: String
    public let x: PlotAxis
    public let y: PlotAxis
    /// Size of one font cell in pixels.
    public let textScale: Int
    /// The plot area in pixels, edges included: x from `left` to `right`, y from `top` down to `bottom`.
    public let left: Int, top: Int, right: Int, bottom: Int
    /// The ticks drawn: about one per 90 pixels across and one per 40 pixels up.
    public let xTicks: [(value: Double, label: String)]
    public let yTicks: [(value: Double, label: String)]

    static let tickLength = 4
    static let gap = 4

    public init(width: Int, height: Int, title: String, x: PlotAxis, y: PlotAxis, rightMargin: Int = 14, textScale: Int = 1) {
        self.width = width
        self.height = height
        self.title = title
        self.x = x
        self.y = y
        self.textScale = textScale
        let line = BitmapFont.glyphHeight * textScale
        top = title.isEmpty ? 2 * Self.gap : 3 * Self.gap + line
        bottom = height - 1 - (Self.tickLength + Self.gap + line + (x.label.isEmpty ? 0 : 2 * Self.gap + line) + Self.gap)
        yTicks = y.ticks(maximumCount: Swift.max(3, (bottom - top) / (40 * textScale)))
        let widestYLabel = yTicks.map { BitmapFont.size(of: $0.label, scale: textScale).width }.max() ?? 0
        left = Self.gap + (y.label.isEmpty ? 0 : line + 2 * Self.gap) + widestYLabel + Self.gap + Self.tickLength
        right = width - 1 - rightMargin
        precondition(right - left >= 8 && bottom - top >= 8, "PlotFrame: \(width)×\(height) leaves no room to plot")
        xTicks = x.ticks(maximumCount: Swift.max(3, (right - left) / (90 * textScale)))
    }

    /// The column of `value` on the horizontal axis.
    public func xPixel(_ value: Double) -> Int {
        left + Int((x.fraction(value) * Double(right - left)).rounded())
    }

    /// The row of `value` on the vertical axis (larger values higher up).
    public func yPixel(_ value: Double) -> Int {
        bottom - Int((y.fraction(value) * Double(bottom - top)).rounded())
    }

    /// Light lines across the plot area at every tick.
    public func drawGrid(on picture: inout Picture, color: Picture.Color = .gridGray) {
        for tick in xTicks { picture.line(from: (xPixel(tick.value), top), to: (xPixel(tick.value), bottom), color) }
        for tick in yTicks { picture.line(from: (left, yPixel(tick.value)), to: (right, yPixel(tick.value)), color) }
    }

    /// The frame around the plot area, the ticks and their values, the axes' names and the title.
    public func drawAxes(on picture: inout Picture, color: Picture.Color = .black) {
        let s = textScale, line = BitmapFont.glyphHeight * textScale
        picture.line(from: (left - 1, top - 1), to: (right + 1, top - 1), color)
        picture.line(from: (left - 1, bottom + 1), to: (right + 1, bottom + 1), color)
        picture.line(from: (left - 1, top - 1), to: (left - 1, bottom + 1), color)
        picture.line(from: (right + 1, top - 1), to: (right + 1, bottom + 1), color)
        for tick in xTicks {
            let column = xPixel(tick.value)
            picture.line(from: (column, bottom + 1), to: (column, bottom + Self.tickLength), color)
            let labelWidth = BitmapFont.size(of: tick.label, scale: s).width
            let start = Swift.min(Swift.max(0, column - labelWidth / 2), width - labelWidth)
            picture.draw(text: tick.label, x: start, y: bottom + Self.tickLength + Self.gap, color: color, scale: s)
        }
        for tick in yTicks {
            let row = yPixel(tick.value)
            picture.line(from: (left - Self.tickLength, row), to: (left - 1, row), color)
            let labelWidth = BitmapFont.size(of: tick.label, scale: s).width
            picture.draw(text: tick.label, x: left - Self.tickLength - Self.gap - labelWidth, y: row - line / 2, color: color, scale: s)
        }
        if !x.label.isEmpty {
            let labelWidth = BitmapFont.size(of: x.label, scale: s).width
            picture.draw(text: x.label, x: (left + right - labelWidth) / 2,
                         y: bottom + Self.tickLength + 3 * Self.gap + line, color: color, scale: s)
        }
        if !y.label.isEmpty {
            let labelWidth = BitmapFont.size(of: y.label, scale: s).width
            picture.draw(text: y.label, x: Self.gap, y: (top + bottom + labelWidth) / 2, color: color, scale: s, vertical: true)
        }
        if !title.isEmpty {
            picture.draw(text: title, x: left, y: 2 * Self.gap, color: color, scale: s)
        }
    }
}
