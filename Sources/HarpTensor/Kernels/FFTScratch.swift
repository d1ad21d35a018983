import CFFTW

/// A SIMD-aligned float buffer from `fftwf_malloc`, freed explicitly.
struct FFTScratch {
    let floats: UnsafeMutablePointer<Float>

    init(floatCount: Int) {
        guard let raw = fftwf_malloc(MemoryLayout<Float>.stride * max(1, floatCount)) else {
            fatalError("fftwf_malloc failed for \(floatCount) floats")
        }
        floats = raw.bindMemory(to: Float.self, capacity: max(1, floatCount))
    }

    var complex: UnsafeMutablePointer<fftwf_complex> { FFTScratch.complex(floats) }

    func free() { fftwf_free(floats) }

    /// Views interleaved `[re, im]` floats as FFTW's `float[2]` complex type.
    static func complex(_ pointer: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<fftwf_complex> {
        UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: fftwf_complex.self)
    }

    /// True when `pointer` has the alignment plans were made for.
    static func isPlanAligned(_ pointer: UnsafeMutablePointer<Float>) -> Bool {
        fftwf_alignment_of(pointer) == 0
    }
}
