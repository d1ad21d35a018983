import CFFTW
import Foundation

/// FFTW plans for one-row transforms, made once per (kind, length, rigor) and kept for the
/// life of the process.
///
/// FFTW's planner is not thread-safe, so every plan is made under one lock; executing a plan
/// with the new-array functions (`fftwf_execute_dft_r2c`, …) is thread-safe, so rows run
/// concurrently without locking. Plans are made on `fftwf_malloc` buffers, hence expect
/// SIMD-aligned arrays: `FFTKernels` passes rows whose `fftwf_alignment_of` is 0 straight
/// through and copies the others via aligned scratch.
public final class FFTPlanCache: @unchecked Sendable {
    /// Which transform a plan computes.
    public enum Kind: Hashable, Sendable {
        /// real `[n]` → half spectrum `[n/2+1]` complex.
        case realToComplex
        /// half spectrum `[n/2+1]` complex → real `[n]`; destroys its input.
        case complexToReal
        /// complex `[n]` → complex `[n]`, `exp(-2πi jk/n)`.
        case complexForward
        /// complex `[n]` → complex `[n]`, `exp(+2πi jk/n)`.
        case complexInverse
    }

    /// How hard FFTW searches for a fast plan.
    public enum Rigor: Hashable, Sendable {
        /// A heuristic guess; instant.
        case estimate
        /// Times candidate plans once (milliseconds to seconds for long transforms); faster execution.
        case measure

        var flags: UInt32 { self == .measure ? 0 : 1 << 6 }  // FFTW_MEASURE, FFTW_ESTIMATE
    }

    /// A plan handle; immutable after creation, so safe to share across threads.
    public struct Plan: @unchecked Sendable {
        public let kind: Kind
        public let length: Int
        let handle: OpaquePointer
    }

    private struct Key: Hashable {
        let kind: Kind
        let length: Int
        let rigor: Rigor
    }

    /// The process-wide cache used by `FFTKernels`.
    public static let shared = FFTPlanCache()

    /// The rigor for plans made from now on; existing plans stay.
    public var rigor: Rigor {
        get { lock.withLock { storedRigor } }
        set { lock.withLock { storedRigor = newValue } }
    }

    /// One lock for every cache in the process: FFTW's planner and wisdom are global state, so
    /// two caches planning at once on separate locks would corrupt FFTW's heap.
    private static let plannerLock = NSLock()
    private var lock: NSLock { Self.plannerLock }
    private var plans: [Key: Plan] = [:]
    /// Set when a measured plan was made since wisdom was last exported.
    private var wisdomChanged = false
    /// `.estimate` by default: FFTW_MEASURE picks algorithms by timing them, so two runs of the
    /// same program can round differently — and Harp promises the same output for the same input,
    /// bit for bit — and it spends seconds planning 2¹⁸-point transforms. Long fits opt into
    /// `.measure` together with saved wisdom (`importWisdom`), which gives back both promises.
    private var storedRigor: Rigor = .estimate

    public init() {}

    /// The cached plan for `kind` at `length`, planning it on first use.
    public func plan(_ kind: Kind, length: Int) -> Plan {
        precondition(length >= 1 && length <= Int(Int32.max), "FFT length \(length) out of range")
        return lock.withLock {
            let key = Key(kind: kind, length: length, rigor: storedRigor)
            if let plan = plans[key] { return plan }
            let plan = Plan(kind: kind, length: length, handle: makePlan(key))
            plans[key] = plan
            if key.rigor == .measure { wisdomChanged = true }
            return plan
        }
    }

    /// Wisdom files larger than this are refused unread (FFTW's own are a few kilobytes).
    public static let maximumWisdomBytes = 4 << 20

    /// Loads FFTW wisdom saved by `exportWisdom(to:)`, so measured plans are recalled instead of
    /// re-timed: instant start-up, and the same plans — hence the same rounding — in every run
    /// that shares the file. Returns false (and changes nothing) when the file is missing,
    /// oversized or not wisdom this FFTW accepts.
    @discardableResult
    public func importWisdom(from url: URL) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              let size = attributes[.size] as? Int, size > 0, size <= Self.maximumWisdomBytes,
              let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8),
              text.hasPrefix("(fftw-") else { return false }
        return lock.withLock { fftwf_import_wisdom_from_string(text) != 0 }
    }

    /// Saves the wisdom of every measured plan so far, atomically (temporary file, then rename),
    /// when there is anything new since the last export or import.
    public func exportWisdom(to url: URL) throws {
        let text: String? = lock.withLock {
            guard wisdomChanged, let raw = fftwf_export_wisdom_to_string() else { return nil }
            defer { free(raw) }
            wisdomChanged = false
            return String(cString: raw)
        }
        guard let text else { return }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    /// Runs `body` holding the lock that serialises all FFTW planning in this process; for code
    /// that makes or destroys its own FFTW plans (benchmarks, tests).
    public func withPlannerLock<R>(_ body: () throws -> R) rethrows -> R {
        try lock.withLock(body)
    }

    /// Plans on scratch arrays (MEASURE overwrites them), out of place.
    private func makePlan(_ key: Key) -> OpaquePointer {
        let n = key.length
        let complexCount = key.kind == .realToComplex || key.kind == .complexToReal ? n / 2 + 1 : n
        let input = FFTScratch(floatCount: max(n, 2 * complexCount))
        let output = FFTScratch(floatCount: max(n, 2 * complexCount))
        defer { input.free(); output.free() }
        let flags = key.rigor.flags
        let handle: fftwf_plan?
        switch key.kind {
        case .realToComplex:
            handle = fftwf_plan_dft_r2c_1d(Int32(n), input.floats, output.complex, flags)
        case .complexToReal:
            handle = fftwf_plan_dft_c2r_1d(Int32(n), input.complex, output.floats, flags)
        case .complexForward:
            handle = fftwf_plan_dft_1d(Int32(n), input.complex, output.complex, -1, flags)
        case .complexInverse:
            handle = fftwf_plan_dft_1d(Int32(n), input.complex, output.complex, +1, flags)
        }
        guard let handle else { fatalError("FFTW could not plan \(key.kind) of length \(n)") }
        return handle
    }
}
