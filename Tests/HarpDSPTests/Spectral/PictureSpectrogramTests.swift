import Foundation
import HarpTensor
import Testing
@testable import HarpDSP

struct PictureSpectrogramTests {
    /// A sine at bin 16 of 64 paints the brightest colour in the picture row a quarter of the way up.
    @Test func sinePaintsItsBinBrightest() {
        let n = 128, samples = 4096
        let sine = Tensor((0..<samples).map { Float(sin(2 * Double.pi * 16 * Double($0) / Double(n))) })
        let power = stftPower(stft(sine, nFFT: n, hop: 32, window: Windows.hann(n)))
        let picture = Picture.spectrogram(power: power, width: 50, height: 65, colorMap: .gray)
        // bins 0…64 drawn bottom-up over 65 rows: bin 16 is picture row 64 − 16 = 48.
        let brightest = (0..<65).max { a, b in picture.pixels[(a * 50 + 25) * 3] < picture.pixels[(b * 50 + 25) * 3] }!
        #expect(brightest == 48)
        #expect(picture.pixels[(48 * 50 + 25) * 3] == 255)
    }
}
