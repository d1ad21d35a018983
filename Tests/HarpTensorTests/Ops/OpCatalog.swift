import Foundation
import HarpTensor
import HarpTestSupport

/// Each fixture op of `tools/make_op_fixtures.py` (the part of a case name before `#`) as the
/// Harp expression that must reproduce it.
enum OpCatalog {
    typealias Op = ([Tensor]) -> Tensor

    static let ops: [String: Op] = unary.mapValues { f in { f($0[0]) } }
        .merging(binary.mapValues { f in { f($0[0], $0[1]) } }) { a, _ in a }
        .merging(other) { a, _ in a }

    static let unary: [String: (Tensor) -> Tensor] = [
        "neg": { -$0 }, "exp": { $0.exp() }, "log": { $0.log() }, "sin": { $0.sin() }, "cos": { $0.cos() },
        "tanh": { $0.tanh() }, "sigmoid": { $0.sigmoid() }, "relu": { $0.relu() }, "gelu": { $0.gelu() },
        "elu": { $0.elu() }, "sqrt": { $0.sqrt() }, "square": { $0.square() }, "abs": { $0.abs() },
        "clamp": { $0.clamped(min: -0.5, max: 0.7) }, "pow_scalar": { pow($0, 2.5) },
        "add_scalar": { $0 + 1.5 }, "rsub_scalar": { 2 - $0 }, "mul_scalar": { $0 * -3 },
        "div_scalar": { $0 / 4 }, "rdiv_scalar": { 3 / $0 },
    ]

    static let binary: [String: (Tensor, Tensor) -> Tensor] = [
        "add": { $0 + $1 }, "sub": { $0 - $1 }, "mul": { $0 * $1 }, "div": { $0 / $1 },
        "pow": { pow($0, $1) }, "maximum": { maximum($0, $1) }, "minimum": { minimum($0, $1) },
        "atan2": { atan2($0, $1) },
    ]

    static let other: [String: Op] = [
        "sum_axis1": { $0[0].sum(alongAxis: 1) },
        "sum_axes02_keep": { $0[0].sum(alongAxes: [0, 2], keepDims: true) },
        "sum_all": { $0[0].sum() },
        "sum_empty_axis": { $0[0].sum(alongAxis: 1) },
        "mean_axis_last": { $0[0].mean(alongAxis: -1) },
        "mean_all": { $0[0].mean() },
        "var_axis1": { $0[0].variance(alongAxes: [1]) },
        "max_axis1": { $0[0].max(alongAxis: 1) },
        "min_axis2_keep": { $0[0].min(alongAxis: 2, keepDims: true) },
        "max_all": { $0[0].max() },
        "argmax_axis0": { $0[0].argmax(alongAxis: 0) },
        "logsumexp_axis1": { $0[0].logSumExp(alongAxis: 1) },
        "logsumexp_last_keep": { $0[0].logSumExp(alongAxis: -1, keepDims: true) },
        "softmax_last": { $0[0].softmax(alongAxis: -1) },
        "softmax_axis1": { $0[0].softmax(alongAxis: 1) },
        "softmax_large": { $0[0].softmax() },
        "log_softmax_last": { $0[0].logSoftmax() },
        "log_softmax_axis0": { $0[0].logSoftmax(alongAxis: 0) },
        "reshape": { $0[0].reshaped(5, 6) },
        "permute_201": { $0[0].permuted(2, 0, 1) },
        "transpose_last_two": { $0[0].transposed() },
        "expand": { $0[0].expanded(to: [2, 3, 4]) },
        "slice_axis2": { $0[0].sliced(alongAxis: 2, start: 1, end: 5, step: 2) },
        "slice_negative": { $0[0].sliced(alongAxis: 1, start: -2) },
        "pad_constant": { $0[0].padded([2, 1], mode: .constant(0.5)) },
        "pad_constant_2d": { $0[0].padded([1, 2, 0, 1]) },
        "pad_reflect": { $0[0].padded([3, 2], mode: .reflect) },
        "pad_replicate": { $0[0].padded(alongAxis: -1, before: 2, after: 3, mode: .replicate) },
        "pad_circular": { $0[0].padded([2, 3], mode: .circular) },
        "cat_axis1": { Tensor.concatenated($0, alongAxis: 1) },
        "cat_empty": { Tensor.concatenated($0, alongAxis: -1) },
        "stack_axis1": { Tensor.stacked($0, alongAxis: 1) },
        "index_select_axis1": { $0[0].gathered(indices: [2, 0, 2, 1], alongAxis: 1) },
        "gather_axis1": { $0[0].gathered(indices: Tensor(shape: [2, 2, 2], values: [2, 0, 1, 1, 0, 2, 2, 2]), alongAxis: 1) },
        "repeat_tile": { $0[0].tiled([2, 1, 3]) },
        "repeat_interleave": { $0[0].repeated(3, alongAxis: 1) },
        "flip_axes02": { $0[0].flipped(alongAxes: [0, 2]) },
        "cumsum_axis1": { $0[0].cumulativeSum(alongAxis: 1) },
        "cumsum_last": { $0[0].cumulativeSum(alongAxis: -1) },
        "interpolate_up": { $0[0].interpolated(toLength: 13) },
        "interpolate_down": { $0[0].interpolated(toLength: 4) },
        "interpolate_up_corners": { $0[0].interpolated(toLength: 13, alignCorners: true) },
        "interpolate_down_corners": { $0[0].interpolated(toLength: 4, alignCorners: true) },
        "snake": { $0[0].snake(alpha: $0[1]) },
        "where": { `where`($0[0], $0[1], $0[2]) },
    ]

    /// Inputs that carry no gradient (masks), per op.
    static let frozenInputs: [String: Set<Int>] = ["where": [0]]

    /// The committed PyTorch fixtures.
    static let fixtures: JSONFixtures = {
        let url = Bundle.module.url(forResource: "ops_cases", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONFixtures(contentsOf: url)
    }()

    /// Every case name in the fixtures (`op#k`), sorted.
    static let caseNames: [String] = fixtures.entries.keys
        .filter { $0.hasSuffix("/output") }
        .map { String($0.dropLast("/output".count)) }
        .sorted()

    static func opName(_ caseName: String) -> String { String(caseName.split(separator: "#")[0]) }

    static func inputs(_ caseName: String) -> [Tensor] {
        (0...).lazy.map { fixtures.tensor("\(caseName)/input\($0)") }.prefix { $0 != nil }.map { $0! }
    }
}
