import Foundation
import HarpTensor

extension Picture {
    /// A spectrogram picture: power `[bins, frames]` (e.g. `stftPower(stft(x))` of one row, or a
    /// mel spectrogram) in dB relative to its loudest value, the top `dynamicRangeDecibels`
    /// mapped onto `colorMap` (quieter is floored), lowest bin at the bottom, time to the right.
    ///
    ///     level = 10·log₁₀(max(P, 1e-20) / max P), shown over [−dynamicRangeDecibels, 0]
    public static func spectrogram(power: Tensor, width: Int, height: Int, dynamicRangeDecibels: Float = 80,
                                   colorMap: ColorMap = .viridis) -> Picture {
        precondition(power.rank == 2 && power.count > 0, "spectrogram picture needs [bins, frames], got \(power.shape)")
        precondition(dynamicRangeDecibels > 0, "spectrogram picture: dynamic range must be positive")
        let values = power.scalars
        let loudest = Swift.max(values.max() ?? 0, 1e-20)
        let levels = values.map { 10 * log10(Swift.max($0, 1e-20) / loudest) }
        return heatMap(levels, rows: power.shape[0], columns: power.shape[1], width: width, height: height,
                       colorMap: colorMap, range: -dynamicRangeDecibels...0)
    }
}
