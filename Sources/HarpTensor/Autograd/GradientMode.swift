/// Whether ops record their pullbacks. On by default; `withoutGradients` turns it off for a scope.
///
/// The flag is task-local (thread-local outside of tasks), like PyTorch's per-thread grad mode:
/// `withoutGradients` in one test or request never turns recording off in another running
/// concurrently. Kernels parallelise internally but never record, so they do not read it.
public enum GradientMode {
    @TaskLocal static var enabledInCurrentTask = true

    /// Whether recording is on in the current task or thread.
    public static var isEnabled: Bool { enabledInCurrentTask }

    /// Runs `body` with recording set to `enabled`, restoring the previous state afterwards.
    public static func with<Result>(enabled: Bool, _ body: () throws -> Result) rethrows -> Result {
        try $enabledInCurrentTask.withValue(enabled, operation: body)
    }
}

/// Runs `body` without recording any op for differentiation (PyTorch's `torch.no_grad()`).
public func withoutGradients<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientMode.with(enabled: false, body)
}
