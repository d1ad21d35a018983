import Foundation
import HarpTensor

/// A spectrogram drawn for people: time in seconds across, frequency in kHz up, level in dB
/// against a reference on a colour bar. Several spectrograms drawn with one `referencePower`
/// share one colour scale, so an original and its reconstruction compare at a glance.
///
///     level = 10·log₁₀(max(P, 1e-20) / reference), shown over [−dynamicRangeDecibels, 0]
///
/// Where the picture has fewer pixels than the spectrogram has bins or frames, each pixel shows
/// the loudest cell it covers (`HeatMapPlot`), so a narrow partial is never skipped.
public struct SpectrogramPicture: Sendable {
    public var title: String
    public var sampleRate: Int
    public var fftSize: Int
    public var hopSize: Int
    public var dynamicRangeDecibels: Float
    public var colorMap: ColorMap

    public init(title: String, sampleRate: Int, fftSize: Int = 1024, hopSize: Int = 256,
                dynamicRangeDecibels: Float = 80, colorMap: ColorMap = .viridis) {
        precondition(sampleRate > 0 && fftSize >= 2 && hopSize >= 1 && dynamicRangeDecibels > 0, "SpectrogramPicture: bad settings")
        self.title = title
        self.sampleRate = sampleRate
        self.fftSize = fftSize
        self.hopSize = hopSize
        self.dynamicRangeDecibels = dynamicRangeDecibels
        self.colorMap = colorMap
    }

    /// |STFT|² of `samples` (`[samples]`, more than fftSize/2 of them) with a periodic Hann
    /// window, centred frames: `[fftSize/2 + 1, frames]`, frame f at f·hopSize samples.
    public func power(of samples: Tensor) -> Tensor {
        withoutGradients { stftPower(stft(samples, nFFT: fftSize, hop: hopSize, window: Windows.hann(fftSize))) }
    }

    /// The plot of `power` (`[bins, frames]` as `power(of:)` gives it) at `width × height`.
    public func picture(power: Tensor, referencePower: Float? = nil, width: Int, height: Int, textScale: Int = 1) -> Picture {
        precondition(power.rank == 2 && power.count > 0, "spectrogram picture needs [bins, frames], got \(power.shape)")
        let (bins, frames) = (power.shape[0], power.shape[1])
        let values = power.scalars
        let reference = Swift.max(referencePower ?? values.max() ?? 0, 1e-20)
        let levels = values.map { 10 * log10(Swift.max($0, 1e-20) / reference) }
        let plot = HeatMapPlot(
            title: title,
            x: PlotAxis(label: "time (s)", range: 0...(Double(Swift.max(frames - 1, 1) * hopSize) / Double(sampleRate))),
            y: PlotAxis(label: "frequency (kHz)", range: 0...(Double(sampleRate) / 2000)),
            colorMap: colorMap, range: -dynamicRangeDecibels...0, colorBarLabel: "level (dB)")
        return plot.picture(values: levels, rows: bins, columns: frames, width: width, height: height, textScale: textScale)
    }
}
