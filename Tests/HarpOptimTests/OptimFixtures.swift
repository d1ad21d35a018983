import Foundation
import Testing

/// The optimiser fixtures written by tools/make_io_optim_fixtures.py from torch.
enum OptimFixtures {
    struct AdamCase: Decodable {
        struct Options: Decodable {
            let lr: Double
            let betas: [Double]?
            let eps: Double?
            let weight_decay: Double?
            let amsgrad: Bool?
        }
        let name: String
        let optimizer: String
        let options: Options
        let shapes: [[Int]]
        let initial: [[Float]]
        /// [step][parameter][value]
        let grads: [[[Float]]]
        let expected: [[[Float]]]
        let final_exp_avg: [[Float]]
        let final_exp_avg_sq: [[Float]]
    }

    struct ScheduleCase: Decodable {
        let kind: String
        let base: Double
        let minimum: Double
        let total: Int
        let warmup: Int
        let start_factor: Double
        let values: [Double]
    }

    struct ClippingFixture: Decodable {
        struct Case: Decodable {
            let kind: String
            let max: Double
            let norm_type: NormType
            let total_norm: Double
            let clipped: [[Float]]
        }
        /// 2.0, "inf", or 0 for clipping by value.
        enum NormType: Decodable {
            case number(Double), infinity
            init(from decoder: Decoder) throws {
                let container = try decoder.singleValueContainer()
                self = (try? container.decode(Double.self)).map(NormType.number) ?? .infinity
            }
        }
        let shapes: [[Int]]
        let grads: [[Float]]
        let cases: [Case]
    }

    private struct Cases<Case: Decodable>: Decodable { let cases: [Case] }

    static func load<Value: Decodable>(_ name: String, as type: Value.Type) -> Value {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name)
        return try! JSONDecoder().decode(Value.self, from: Data(contentsOf: url))
    }

    static let adamCases = load("adam.json", as: Cases<AdamCase>.self).cases
    static let scheduleCases = load("schedules.json", as: Cases<ScheduleCase>.self).cases
    static let clipping = load("clipping.json", as: ClippingFixture.self)
}

/// Whether `actual` is within `relative` of `expected` element-wise (with a small absolute floor).
func isClose(_ actual: [Float], _ expected: [Float], relative: Float = 2e-6, absolute: Float = 1e-7) -> Bool {
    actual.count == expected.count && zip(actual, expected).allSatisfy { abs($0 - $1) <= absolute + relative * abs($1) }
}
