import Foundation
import HarpTensor
import Testing
@testable import HarpDSP

/// The labelled plots of reports: ticks at round values, text from the bitmap font, values placed
/// where their axes say, and spectrograms whose partials land on their frequency.
struct PlotPictureTests {
    @Test func linearTicksAreRoundStepsInsideTheRange() {
        let time = PlotAxis(label: "time (s)", range: 0...5.944)
        #expect(time.ticks(maximumCount: 6).map(\.label) == ["0", "1", "2", "3", "4", "5"])
        let small = PlotAxis(label: "", range: -0.5...15.5)
        #expect(small.ticks(maximumCount: 6).map(\.value) == [0, 5, 10, 15])
        let fine = PlotAxis(label: "", range: 0.1...0.45)
        #expect(fine.ticks(maximumCount: 4).map(\.label) == ["0.1", "0.2", "0.3", "0.4"])
        let decibels = PlotAxis(label: "", range: -80...0)
        #expect(decibels.ticks(maximumCount: 5).map(\.label) == ["-80", "-60", "-40", "-20", "0"])
    }

    @Test func logarithmicTicksArePowersOfTenOrOneTwoFiveWithinADecade() {
        let wide = PlotAxis(label: "", range: 0.01...1000, scale: .logarithmic)
        #expect(wide.ticks(maximumCount: 8).map(\.label) == ["0.01", "0.1", "1", "10", "100", "1000"])
        let loss = PlotAxis(label: "", range: 450...6000, scale: .logarithmic)
        #expect(loss.ticks().map(\.value) == [500, 1000, 2000, 5000])
        let plateau = PlotAxis(label: "", range: 1200...3500, scale: .logarithmic)
        #expect(plateau.ticks(maximumCount: 6).map(\.value) == [1500, 2000, 2500, 3000, 3500])
        let huge = PlotAxis(label: "", range: 1e5...1e9, scale: .logarithmic)
        #expect(huge.ticks().map(\.label) == ["1e5", "1e6", "1e7", "1e8", "1e9"] || huge.ticks().map(\.label) == ["100000", "1e6", "1e7", "1e8", "1e9"])
        #expect(Swift.abs(PlotAxis(label: "", range: 1...100, scale: .logarithmic).fraction(10) - 0.5) < 1e-12)
        // Within a decade: round linear steps.
        let narrow = PlotAxis(label: "", range: 540...610, scale: .logarithmic)
        #expect(narrow.ticks(maximumCount: 4).map(\.value) == [540, 560, 580, 600])
    }

    @Test func fittingAxesCoverTheValuesWithAMargin() {
        let axis = PlotAxis.fitting([1000, 5000, .nan, 2000], label: "loss", scale: .logarithmic)
        #expect(axis.range.lowerBound < 1000 && axis.range.lowerBound > 900)
        #expect(axis.range.upperBound > 5000 && axis.range.upperBound < 5600)
        let flat = PlotAxis.fitting([3, 3], label: "")
        #expect(flat.range.lowerBound < 3 && flat.range.upperBound > 3)
    }

    @Test func textPaintsTheGlyphsCellsAndMeasuresItsWidth() {
        #expect(BitmapFont.size(of: "10 Hz", scale: 2) == (width: 58, height: 14))
        var picture = Picture(width: 20, height: 10)
        picture.draw(text: "1", x: 3, y: 1, color: .black)
        let glyph = BitmapFont.glyph("1")
        for row in 0..<7 {
            for column in 0..<5 {
                let red = picture.pixels[((1 + row) * 20 + 3 + column) * 3]
                #expect((red == 0) == glyph[row][column], "row \(row) column \(column)")
            }
        }
        // Every glyph is 7 rows of 5 cells.
        for character in BitmapFont.patterns.keys {
            let cells = BitmapFont.glyph(character)
            #expect(cells.count == 7 && cells.allSatisfy { $0.count == 5 }, "\(character)")
        }
    }

    @Test func verticalTextRunsUpwardsFromItsStart() {
        var picture = Picture(width: 10, height: 20)
        picture.draw(text: "L", x: 1, y: 15, vertical: true)
        // "L"'s vertical stroke (column 0, rows 0…6) becomes a horizontal run on the start row;
        // its foot (row 6, columns 0…4) runs up from x = 1 + 6 = 7.
        for row in 0..<7 { #expect(picture.pixels[(15 * 10 + 1 + row) * 3] == 0) }
        for column in 0..<5 { #expect(picture.pixels[((15 - column) * 10 + 7) * 3] == 0) }
    }

    @Test func linePlotPlacesPointsWhereTheAxesSay() {
        let color = Picture.Color(200, 0, 0)
        let plot = LinePlot(title: "loss", x: PlotAxis(label: "iteration", range: 1...3),
                            y: PlotAxis(label: "loss", range: 10...1000, scale: .logarithmic),
                            series: [LinePlot.Series(x: [1, 2, 3], y: [1000, 100, 10], color: color)])
        let picture = plot.picture(width: 300, height: 200)
        let frame = plot.frame(width: 300, height: 200)
        // On a log axis 100 lies halfway between 10 and 1000: the middle point is the centre.
        #expect(frame.yPixel(100) == (frame.top + frame.bottom + 1) / 2 || frame.yPixel(100) == (frame.top + frame.bottom) / 2)
        for (x, y) in [(1.0, 1000.0), (2, 100), (3, 10)] {
            let (px, py) = (frame.xPixel(x), frame.yPixel(y))
            let i = (py * 300 + px) * 3
            #expect(Array(picture.pixels[i..<(i + 3)]) == [200, 0, 0], "point (\(x), \(y)) at (\(px), \(py))")
        }
        #expect(frame.xPixel(1) == frame.left && frame.xPixel(3) == frame.right)
        #expect(frame.yPixel(1000) == frame.top && frame.yPixel(10) == frame.bottom)
        // Labels are drawn: there is black left of the plot area and below it.
        let blackLeft = (frame.top...frame.bottom).contains { y in (0..<(frame.left - 2)).contains { picture.pixels[(y * 300 + $0) * 3] == 0 } }
        let blackBelow = ((frame.bottom + 6)..<200).contains { y in (0..<300).contains { picture.pixels[(y * 300 + $0) * 3] == 0 } }
        #expect(blackLeft && blackBelow)
    }

    @Test func heatMapKeepsALonePeakWhenShrunk() {
        // 1 × 1000 zeros with one 1: drawn 200 pixels wide, the peak's column must stay white.
        var values = [Float](repeating: 0, count: 1000)
        values[537] = 1
        let plot = HeatMapPlot(title: "", x: PlotAxis(label: "", range: 0...1), y: PlotAxis(label: "", range: 0...1),
                               colorMap: .gray)
        let frame = plot.frame(width: 260, height: 60, values: values)
        let picture = plot.picture(values: values, rows: 1, columns: 1000, width: 260, height: 60)
        let row = (frame.top + frame.bottom) / 2
        let whites = (frame.left...frame.right).filter { picture.pixels[(row * 260 + $0) * 3] == 255 }
        #expect(whites.count == 1)
        let expected = frame.left + 537 * (frame.right - frame.left + 1) / 1000
        #expect(whites.first == expected)
    }

    /// A 3 kHz sine: its brightest row is where the frequency axis puts 3 kHz, and its level there
    /// is 0 dB (the top of the colour map).
    @Test func spectrogramPutsASineOnItsFrequency() {
        let rate = 22_050, samples = 22_050
        let sine = Tensor((0..<samples).map { Float(sin(2 * Double.pi * 3000 * Double($0) / Double(rate))) })
        let spectrogram = SpectrogramPicture(title: "sine", sampleRate: rate, colorMap: .gray)
        let power = spectrogram.power(of: sine)
        #expect(power.shape == [513, 1 + samples / 256])
        let picture = spectrogram.picture(power: power, width: 400, height: 300)
        let plot = HeatMapPlot(title: "sine", x: PlotAxis(label: "time (s)", range: 0...1),
                               y: PlotAxis(label: "frequency (kHz)", range: 0...11.025), colorMap: .gray,
                               range: -80...0, colorBarLabel: "level (dB)")
        let frame = plot.frame(width: 400, height: 300, values: [])
        let column = (frame.left + frame.right) / 2
        let brightest = (frame.top...frame.bottom).max { a, b in
            picture.pixels[(a * 400 + column) * 3] < picture.pixels[(b * 400 + column) * 3]
        }!
        #expect(Swift.abs(brightest - frame.yPixel(3.0)) <= 1, "brightest row \(brightest), 3 kHz at \(frame.yPixel(3.0))")
        #expect(picture.pixels[(brightest * 400 + column) * 3] == 255)
    }
}
