// Speed sanity for HarpTensor's element-wise ops and softmax (not a test; see bench_ops.sh).
// Prints one JSON object per measurement: median milliseconds over the repetitions.
import Foundation
import HarpTensor

func median(_ repetitions: Int, _ body: () -> Void) -> Double {
    body()   // warm-up: page faults, allocator
    var times: [Double] = []
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return times.sorted()[times.count / 2]
}

func report(_ name: String, _ ms: Double) {
    print("{\"name\": \"\(name)\", \"harp_ms\": \(String(format: "%.4f", ms))}")
}

var generator = RandomGenerator(seed: 1)
let n = 1 << 24
let a = Tensor.normal([n], generator: &generator), b = Tensor.normal([n], generator: &generator)
let c = Tensor.normal([n], generator: &generator)
report("chain (a*b+c).tanh() 16M", median(7) { _ = (a * b + c).tanh() })
report("exp 16M", median(7) { _ = a.exp() })
report("sigmoid 16M", median(7) { _ = a.sigmoid() })
report("add 16M", median(7) { _ = a + b })
report("sum 16M", median(7) { _ = a.sum() })
let logits = Tensor.normal([4096, 4096], generator: &generator)
report("softmax [4096,4096] last axis", median(7) { _ = logits.softmax(alongAxis: -1) })
report("transpose [4096,4096]", median(5) { _ = logits.transposed() })

let tiny = Tensor([1, 2, 3, 4]), tiny2 = Tensor([5, 6, 7, 8])
let iterations = 200_000
let perOp = median(5) { for _ in 0..<iterations { _ = tiny + tiny2 } } / Double(iterations) * 1e3
print("{\"name\": \"tiny add (4 values), per op\", \"harp_us\": \(String(format: "%.3f", perOp))}")
let tinyLeaf = Tensor([1, 2, 3, 4], requiresGradient: true)
let perRecordedOp = median(5) { for _ in 0..<iterations { _ = tinyLeaf + tiny2 } } / Double(iterations) * 1e3
print("{\"name\": \"tiny add recorded (requires grad), per op\", \"harp_us\": \(String(format: "%.3f", perRecordedOp))}")
