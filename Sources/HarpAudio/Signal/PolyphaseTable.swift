/// The tabulated phases of a resampling kernel: phase `p` holds `h(t)` at
/// `t = halfWidth − 1 − m + p/L` for taps `m = 0 ..< 2·halfWidth`, i.e. the weights of input
/// frames `center − halfWidth + 1 + m` for an output at input time `center + p/L`.
struct PolyphaseTable: Sendable {
    let tapCount: Int
    private let coefficients: [Float]

    init(kernel: KaiserSincKernel, phaseCount: Int) {
        tapCount = 2 * kernel.halfWidth
        var coefficients = [Float]()
        coefficients.reserveCapacity(phaseCount * tapCount)
        for phase in 0..<phaseCount {
            coefficients.append(contentsOf: Self.taps(kernel: kernel, phase: phase, phaseCount: phaseCount))
        }
        self.coefficients = coefficients
    }

    func taps(phase: Int) -> ArraySlice<Float> {
        coefficients[phase * tapCount ..< (phase + 1) * tapCount]
    }

    static func taps(kernel: KaiserSincKernel, phase: Int, phaseCount: Int) -> [Float] {
        let fraction = Double(phase) / Double(phaseCount)
        return (0..<(2 * kernel.halfWidth)).map { tap in
            Float(kernel.value(at: Double(kernel.halfWidth - 1 - tap) + fraction))
        }
    }
}
