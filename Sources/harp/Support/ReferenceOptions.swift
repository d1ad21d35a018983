import ArgumentParser

/// The options every `harp bench` command shares: the threads both sides use, and how to reach
/// the PyTorch reference that runs beside Harp.
struct ReferenceOptions: ParsableArguments {
    @Option(help: "Threads for both sides.")
    var threads = 2

    @Option(help: "Python with torch for the reference.")
    var python: String?

    @Flag(help: "Skip the PyTorch reference.")
    var noReference = false

    func validate() throws {
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be in 1...256") }
    }
}
