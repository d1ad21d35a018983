import HarpTensor

/// Element-wise chains over 16 M values (2^24), forward only, no gradient recording.
enum ElementwiseCases {
    static let count = 1 << 24

    static var all: [EngineBenchmarkCase] {
        [
            EngineBenchmarkCase(name: "elementwise (a*b+c).tanh() 16M", family: "elementwise", shapes: "3 × [16777216]") {
                var generator = RandomGenerator(seed: 4)
                let a = Tensor.normal([count], generator: &generator), b = Tensor.normal([count], generator: &generator)
                let c = Tensor.normal([count], generator: &generator)
                return { consume((a * b + c).tanh()) }
            },
            EngineBenchmarkCase(name: "elementwise sigmoid 16M", family: "elementwise", shapes: "[16777216]") {
                var generator = RandomGenerator(seed: 5)
                let a = Tensor.normal([count], generator: &generator)
                return { consume(a.sigmoid()) }
            },
        ]
    }
}
