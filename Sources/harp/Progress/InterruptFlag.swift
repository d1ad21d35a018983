import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns Ctrl-C (SIGINT) and SIGTERM into a flag that long work polls between steps, so it can
/// finish the step, write a checkpoint and exit cleanly instead of dying mid-write.
/// A second Ctrl-C exits at once.
///
/// The signals are ignored at the process level and delivered through Dispatch signal sources
/// on a background queue, so no Swift code runs inside an asynchronous signal handler.
enum InterruptFlag {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var count = 0
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Whether an interrupt has arrived since `install()`.
    static var isRaised: Bool { lock.withLock { count > 0 } }

    static func install() {
        let queue = DispatchQueue(label: "harp.interrupts")
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                let arrivals = lock.withLock { count += 1; return count }
                if arrivals == 1 {
                    FileHandle.standardError.write(Data("\nstopping after this step (Ctrl-C again to quit at once)\n".utf8))
                } else {
                    exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }
}
