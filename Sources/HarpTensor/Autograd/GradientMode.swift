/// Whether ops record their pullbacks. On by default; `withoutGradients` turns it off for a scope.
///
/// The flag is process-wide: Harp's ops parallelise inside kernels, and graph building happens on
/// one thread at a time (as in PyTorch's default mode per thread).
public enum GradientMode {
    nonisolated(unsafe) public private(set) static var isEnabled = true

    /// Runs `body` with recording set to `enabled`, restoring the previous state afterwards.
    public static func with<Result>(enabled: Bool, _ body: () throws -> Result) rethrows -> Result {
        let previous = isEnabled
        isEnabled = enabled
        defer { isEnabled = previous }
        return try body()
    }
}

/// Runs `body` without recording any op for differentiation (PyTorch's `torch.no_grad()`).
public func withoutGradients<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientMode.with(enabled: false, body)
}
