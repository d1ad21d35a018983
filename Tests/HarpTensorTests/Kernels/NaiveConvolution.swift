@testable import HarpTensor

/// Oracle convolutions: the definitions as plain loops in Double (STYLE.md principle 1).
/// Layouts match `Conv1dGeometry` / `ConvTranspose1dGeometry`.
enum NaiveConvolution {
    /// Visits every (batch, outCh, inCh, tap, outFrame, inIndex) term of a convolution whose
    /// input index lies inside the input; all conv loops below are this one sum.
    static func forEachTerm(_ g: Conv1dGeometry, _ body: (_ b: Int, _ o: Int, _ c: Int, _ cLocal: Int, _ j: Int, _ t: Int, _ index: Int) -> Void) {
        let outLength = g.outputLength
        for b in 0..<g.batchCount {
            for o in 0..<g.outputChannelCount {
                let group = o / g.outputChannelsPerGroup
                for cLocal in 0..<g.inputChannelsPerGroup {
                    let c = group * g.inputChannelsPerGroup + cLocal
                    for j in 0..<g.kernelSize {
                        for t in 0..<outLength {
                            let index = t * g.stride - g.paddingLeft + j * g.dilation
                            if index >= 0 && index < g.inputLength { body(b, o, c, cLocal, j, t, index) }
                        }
                    }
                }
            }
        }
    }

    static func weightIndex(_ g: Conv1dGeometry, o: Int, cLocal: Int, j: Int) -> Int {
        (o * g.inputChannelsPerGroup + cLocal) * g.kernelSize + j
    }

    static func conv1d(_ g: Conv1dGeometry, x: [Double], w: [Double], bias: [Double]?) -> [Double] {
        let outLength = g.outputLength
        var y = [Double](repeating: 0, count: g.outputElementCount)
        for b in 0..<g.batchCount {
            for o in 0..<g.outputChannelCount { for t in 0..<outLength { y[(b * g.outputChannelCount + o) * outLength + t] = bias?[o] ?? 0 } }
        }
        forEachTerm(g) { b, o, c, cLocal, j, t, index in
            y[(b * g.outputChannelCount + o) * outLength + t] +=
                w[weightIndex(g, o: o, cLocal: cLocal, j: j)] * x[(b * g.inputChannelCount + c) * g.inputLength + index]
        }
        return y
    }

    static func conv1dBackwardInput(_ g: Conv1dGeometry, dy: [Double], w: [Double]) -> [Double] {
        var dx = [Double](repeating: 0, count: g.inputElementCount)
        forEachTerm(g) { b, o, c, cLocal, j, t, index in
            dx[(b * g.inputChannelCount + c) * g.inputLength + index] +=
                w[weightIndex(g, o: o, cLocal: cLocal, j: j)] * dy[(b * g.outputChannelCount + o) * g.outputLength + t]
        }
        return dx
    }

    static func conv1dBackwardWeight(_ g: Conv1dGeometry, x: [Double], dy: [Double]) -> (weight: [Double], bias: [Double]) {
        var dw = [Double](repeating: 0, count: g.weightElementCount)
        forEachTerm(g) { b, o, c, cLocal, j, t, index in
            dw[weightIndex(g, o: o, cLocal: cLocal, j: j)] +=
                x[(b * g.inputChannelCount + c) * g.inputLength + index] * dy[(b * g.outputChannelCount + o) * g.outputLength + t]
        }
        return (dw, channelSums(dy, batchCount: g.batchCount, channelCount: g.outputChannelCount, length: g.outputLength))
    }

    static func channelSums(_ x: [Double], batchCount: Int, channelCount: Int, length: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: channelCount)
        for b in 0..<batchCount { for c in 0..<channelCount { for t in 0..<length { sums[c] += x[(b * channelCount + c) * length + t] } } }
        return sums
    }

    /// Visits every term of a transposed convolution, straight from its definition
    /// `y[b, o, t·stride − padL + j·dilation] += x[b, c, t] · w[c, oLocal, j]`.
    static func forEachTransposedTerm(_ g: ConvTranspose1dGeometry, _ body: (_ b: Int, _ c: Int, _ o: Int, _ weightIndex: Int, _ t: Int, _ index: Int) -> Void) {
        let inPerGroup = g.inputChannelCount / g.groupCount
        let outPerGroup = g.outputChannelCount / g.groupCount
        let outLength = g.outputLength
        for b in 0..<g.batchCount {
            for c in 0..<g.inputChannelCount {
                let group = c / inPerGroup
                for oLocal in 0..<outPerGroup {
                    let o = group * outPerGroup + oLocal
                    for j in 0..<g.kernelSize {
                        for t in 0..<g.inputLength {
                            let index = t * g.stride - g.paddingLeft + j * g.dilation
                            if index >= 0 && index < outLength {
                                body(b, c, o, (c * outPerGroup + oLocal) * g.kernelSize + j, t, index)
                            }
                        }
                    }
                }
            }
        }
    }

    static func convTranspose1d(_ g: ConvTranspose1dGeometry, x: [Double], w: [Double], bias: [Double]?) -> [Double] {
        let outLength = g.outputLength
        var y = [Double](repeating: 0, count: g.outputElementCount)
        for b in 0..<g.batchCount {
            for o in 0..<g.outputChannelCount { for t in 0..<outLength { y[(b * g.outputChannelCount + o) * outLength + t] = bias?[o] ?? 0 } }
        }
        forEachTransposedTerm(g) { b, c, o, wi, t, index in
            y[(b * g.outputChannelCount + o) * outLength + index] += x[(b * g.inputChannelCount + c) * g.inputLength + t] * w[wi]
        }
        return y
    }

    static func convTranspose1dBackwardInput(_ g: ConvTranspose1dGeometry, dy: [Double], w: [Double]) -> [Double] {
        var dx = [Double](repeating: 0, count: g.inputElementCount)
        forEachTransposedTerm(g) { b, c, o, wi, t, index in
            dx[(b * g.inputChannelCount + c) * g.inputLength + t] += dy[(b * g.outputChannelCount + o) * g.outputLength + index] * w[wi]
        }
        return dx
    }

    static func convTranspose1dBackwardWeight(_ g: ConvTranspose1dGeometry, x: [Double], dy: [Double]) -> (weight: [Double], bias: [Double]) {
        var dw = [Double](repeating: 0, count: g.weightElementCount)
        forEachTransposedTerm(g) { b, c, o, wi, t, index in
            dw[wi] += x[(b * g.inputChannelCount + c) * g.inputLength + t] * dy[(b * g.outputChannelCount + o) * g.outputLength + index]
        }
        return (dw, channelSums(dy, batchCount: g.batchCount, channelCount: g.outputChannelCount, length: g.outputLength))
    }
}
