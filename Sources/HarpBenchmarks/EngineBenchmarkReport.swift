import Foundation

/// What `harp bench engine` prints: every case's figures, keyed by case name, with the machine,
/// the thread count and the timing protocol.
public struct EngineBenchmarkReport: Encodable, Sendable {
    public let machine: MachineDescription
    public let threads: Int
    public let timingProtocol: String
    public var cases: [String: EngineBenchmarkResult]
    /// The reference's version line (e.g. `"torch 2.5.1, 2 threads"`), when it ran.
    public var pytorch: String?
    /// Why the reference did not run, when it did not.
    public var pytorchSkipped: String?

    /// Cases where PyTorch was faster (ratio < 1), slowest first.
    public var casesBelowParity: [String] {
        cases.values.filter { ($0.ratio ?? 1) < 1 }.sorted { $0.ratio! < $1.ratio! }.map(\.name)
    }

    enum CodingKeys: String, CodingKey {
        case machine, threads, cases, pytorch
        case timingProtocol = "timing_protocol"
        case pytorchSkipped = "pytorch_skipped"
        case casesBelowParity = "cases_below_parity"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(machine, forKey: .machine)
        try container.encode(threads, forKey: .threads)
        try container.encode(timingProtocol, forKey: .timingProtocol)
        try container.encode(cases, forKey: .cases)
        try container.encodeIfPresent(pytorch, forKey: .pytorch)
        try container.encodeIfPresent(pytorchSkipped, forKey: .pytorchSkipped)
        if pytorch != nil { try container.encode(casesBelowParity, forKey: .casesBelowParity) }
    }

    init(machine: MachineDescription, threads: Int, timingProtocol: String, cases: [String: EngineBenchmarkResult]) {
        self.machine = machine
        self.threads = threads
        self.timingProtocol = timingProtocol
        self.cases = cases
    }

    /// Adds the reference's figures (the JSON object `tools/bench_engine.py` prints) to the cases
    /// of the same name.
    public mutating func attachReference(_ reference: EngineBenchmarkReference) {
        pytorch = "torch \(reference.torchVersion), \(reference.threads) thread(s)"
        for (name, figures) in reference.cases where cases[name] != nil {
            cases[name]!.pytorchSeconds = figures.seconds
            cases[name]!.pytorchRepeats = figures.repeats
            cases[name]!.pytorchPeakMemory = figures.peakMemory
        }
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
