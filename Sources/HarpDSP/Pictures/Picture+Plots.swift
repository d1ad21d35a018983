import Foundation

/// Colour maps for heat maps: values in [0, 1] to colours.
public enum ColorMap: Sendable {
    /// Black (0) to white (1), as the seed draws its control signal.
    case gray
    /// A perceptually ordered dark-blue → green → yellow ramp (anchor colours of matplotlib's viridis).
    case viridis

    public func color(_ value: Float) -> Picture.Color {
        let v = Swift.min(1, Swift.max(0, value.isFinite ? value : 0))
        switch self {
        case .gray:
            let level = UInt8((v * 255).rounded())
            return Picture.Color(level, level, level)
        case .viridis:
            let anchors: [(Float, Float, Float)] = [
                (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
            ]
            let position = v * Float(anchors.count - 1)
            let i = Swift.min(anchors.count - 2, Int(position))
            let f = position - Float(i)
            let (a, b) = (anchors[i], anchors[i + 1])
            return Picture.Color(UInt8(a.0 + f * (b.0 - a.0)), UInt8(a.1 + f * (b.1 - a.1)), UInt8(a.2 + f * (b.2 - a.2)))
        }
    }
}

extension Picture {
    /// A heat map of a `[rows, columns]` matrix (row 0 drawn at the bottom, like a spectrogram's
    /// lowest frequency), scaled to `width × height` by nearest neighbour, values mapped linearly
    /// from [minimum, maximum] (the matrix's own range when not given).
    public static func heatMap(_ values: [Float], rows: Int, columns: Int, width: Int, height: Int,
                               colorMap: ColorMap, range: ClosedRange<Float>? = nil) -> Picture {
        var picture = Picture(width: width, height: height)
        picture.fillHeatMap(values, rows: rows, columns: columns, x: 0..<width, y: 0..<height, colorMap: colorMap, range: range)
        return picture
    }

    /// Paints the heat map of a `[rows, columns]` matrix over the pixel columns `x` and rows `y`
    /// (row 0 at the bottom), as `heatMap` does over a whole picture.
    public mutating func fillHeatMap(_ values: [Float], rows: Int, columns: Int, x: Range<Int>, y: Range<Int>,
                                     colorMap: ColorMap, range: ClosedRange<Float>? = nil) {
        precondition(values.count == rows * columns && rows > 0 && columns > 0, "heatMap: shape mismatch")
        precondition(!x.isEmpty && !y.isEmpty, "heatMap: empty area")
        let finite = values.filter(\.isFinite)
        let low = range?.lowerBound ?? finite.min() ?? 0
        let high = range?.upperBound ?? finite.max() ?? 1
        let span = high > low ? high - low : 1
        for (i, py) in y.enumerated() {
            let row = Swift.min(rows - 1, (y.count - 1 - i) * rows / y.count)
            for (j, px) in x.enumerated() {
                let column = Swift.min(columns - 1, j * columns / x.count)
                plot(x: px, y: py, colorMap.color((values[row * columns + column] - low) / span))
            }
        }
    }

    /// A line plot of `values` against their index, optionally on a log₁₀ vertical axis, with
    /// light horizontal grid lines at each power of ten (log) or quarter (linear).
    public static func linePlot(_ values: [Float], width: Int, height: Int, logarithmic: Bool,
                                color: Color = Color(31, 119, 180)) -> Picture {
        var picture = Picture(width: width, height: height)
        let transformed = values.map { logarithmic ? log10(Swift.max($0, 1e-12)) : $0 }.filter(\.isFinite)
        guard transformed.count >= 2, let low = transformed.min(), let high = transformed.max() else { return picture }
        let span = high > low ? high - low : 1
        let margin = 4
        func yPixel(_ v: Float) -> Int {
            margin + Int(((high - v) / span) * Float(height - 2 * margin - 1))
        }
        let gridValues: [Float] = logarithmic
            ? Array(Int(low.rounded(.up))...Swift.max(Int(low.rounded(.up)), Int(high.rounded(.down)))).map(Float.init)
            : (0...4).map { low + span * Float($0) / 4 }
        for g in gridValues where g >= low && g <= high {
            picture.line(from: (0, yPixel(g)), to: (width - 1, yPixel(g)), .gridGray)
        }
        var previous: (x: Int, y: Int)?
        for (i, v) in transformed.enumerated() {
            let point = (x: margin + i * (width - 2 * margin - 1) / (transformed.count - 1), y: yPixel(v))
            if let previous { picture.line(from: previous, to: point, color) }
            previous = point
        }
        return picture
    }
}
