import HarpTensor

/// Per-op overhead: adding two 4-element tensors, 10 000 times a run, reported per add — without
/// and with gradient recording (one input a leaf that requires a gradient).
enum OverheadCases {
    static let addsPerRun = 10_000

    static var all: [EngineBenchmarkCase] {
        [
            EngineBenchmarkCase(name: "tiny add [4] per op", family: "overhead", shapes: "[4] + [4]",
                                operationsPerRun: addsPerRun) {
                let a = Tensor([1, 2, 3, 4]), b = Tensor([5, 6, 7, 8])
                return { for _ in 0..<addsPerRun { consume(a + b) } }
            },
            EngineBenchmarkCase(name: "tiny add [4] per op, recording gradients", family: "overhead",
                                shapes: "[4] (requires grad) + [4]", operationsPerRun: addsPerRun) {
                let a = Tensor([1, 2, 3, 4], requiresGradient: true), b = Tensor([5, 6, 7, 8])
                return { for _ in 0..<addsPerRun { consume(a + b) } }
            },
        ]
    }
}
