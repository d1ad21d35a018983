/// One case of `harp bench engine`: a name shared with `tools/bench_engine.py`, the shapes it
/// works on, and the work itself.
///
/// `prepare` allocates the inputs and returns the closure that is timed, so a case's memory is
/// only held while it runs.
public struct EngineBenchmarkCase {
    /// The key of the case in both Harp's and the reference's JSON (e.g. `"matmul 512²"`).
    public let name: String
    /// The family the case belongs to (`matmul`, `conv1d`, `elementwise`, …).
    public let family: String
    /// The shapes, in words (e.g. `"[4, 64, 16384] k7 64→64, forward+backward"`).
    public let shapes: String
    /// How many operations one run of the work performs; seconds are reported per operation.
    public let operationsPerRun: Int
    /// Whether the runner measures the peak resident memory of one run of this case.
    public let measuresPeakMemory: Bool
    let prepare: () -> () -> Void

    init(name: String, family: String, shapes: String, operationsPerRun: Int = 1,
         measuresPeakMemory: Bool = false, prepare: @escaping () -> () -> Void) {
        self.name = name
        self.family = family
        self.shapes = shapes
        self.operationsPerRun = operationsPerRun
        self.measuresPeakMemory = measuresPeakMemory
        self.prepare = prepare
    }
}

/// Keeps a result alive until here so the optimiser cannot drop the work that made it.
@inline(never)
func consume<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
