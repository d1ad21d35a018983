#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns Ctrl-C (SIGINT) and SIGTERM into a flag that long work polls between steps, so it can
/// finish the step, write a checkpoint and exit cleanly instead of dying mid-write.
/// A second Ctrl-C exits at once.
enum InterruptFlag {
    nonisolated(unsafe) private static var count: sig_atomic_t = 0

    /// Whether an interrupt has arrived since `install()`.
    static var isRaised: Bool { count > 0 }

    static func install() {
        signal(SIGINT, handle)
        signal(SIGTERM, handle)
    }

    private static let handle: @convention(c) (Int32) -> Void = { _ in
        InterruptFlag.count += 1
        if InterruptFlag.count > 1 { _exit(130) }
    }
}
