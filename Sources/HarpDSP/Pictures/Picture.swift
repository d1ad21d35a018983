/// An RGB raster with the few drawing operations Harp's reports need: heat maps of matrices
/// (spectrograms, control signals) and line plots (loss curves). Encodes to PNG.
public struct Picture {
    public let width: Int
    public let height: Int
    /// `width × height × 3` bytes, rows top to bottom.
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: Color = .white) {
        precondition(width > 0 && height > 0, "Picture needs a positive size")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { set(i, background) }
    }

    public struct Color: Equatable, Sendable {
        public var red: UInt8, green: UInt8, blue: UInt8
        public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
            self.red = red; self.green = green; self.blue = blue
        }
        public static let white = Color(255, 255, 255)
        public static let black = Color(0, 0, 0)
        public static let gridGray = Color(225, 225, 225)
    }

    private mutating func set(_ index: Int, _ color: Color) {
        pixels[3 * index] = color.red
        pixels[3 * index + 1] = color.green
        pixels[3 * index + 2] = color.blue
    }

    /// Paints pixel (x, y), x to the right and y down; points outside are ignored.
    public mutating func plot(x: Int, y: Int, _ color: Color) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        set(y * width + x, color)
    }

    /// A straight line between two points (Bresenham).
    public mutating func line(from start: (x: Int, y: Int), to end: (x: Int, y: Int), _ color: Color) {
        var x = start.x, y = start.y
        let dx = abs(end.x - x), dy = -abs(end.y - y)
        let sx = x < end.x ? 1 : -1, sy = y < end.y ? 1 : -1
        var error = dx + dy
        while true {
            plot(x: x, y: y, color)
            if x == end.x && y == end.y { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }

    /// The PNG encoding.
    public func pngData() -> [UInt8] {
        PNGEncoder.encode(width: width, height: height, rgb: pixels)
    }
}
