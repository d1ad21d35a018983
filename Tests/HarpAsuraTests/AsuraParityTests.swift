import Foundation
import HarpAsura
import HarpTensor
import HarpTestSupport
import Testing

/// One training forward and backward of the tiny configuration against the published PyTorch code
/// (fixtures from `tools/asura/reference.py`), replaying the reference's random draws.
///
/// Tolerances: everything is float32 on both sides; the differences are summation order (BLAS vs
/// PyTorch's kernels, im2col vs direct depthwise convolution) and libm's cos/sin of phases up to
/// ~3000 rad in the time encodings. Sub-network outputs agree to ~1e-6 relative; through the
/// ~40-layer chain to each loss the relative error stays below 1e-4, and gradients (sums over
/// hundreds of products) below 1e-3 relative with an absolute floor of 1e-6 of their scale.
@Suite("Asura parity with the published PyTorch code")
struct AsuraParityTests {
    /// One forward and backward shared by the tests (the forward is the slow part).
    final class Run: @unchecked Sendable {
        let fixture: AsuraFixture
        let model: AsuraModel
        let trace = AsuraTrace()
        let losses: AsuraLosses
        let undrawn: Int

        init() throws {
            fixture = try AsuraFixture()
            model = try fixture.model()
            let draws = try fixture.draws()
            losses = model.trainingLosses(try fixture.tensor("input"), draws: draws, trace: trace)
            undrawn = draws.remaining.count
            losses.total.backward()
        }
    }

    static let run = Result { try Run() }
    let fixture: AsuraFixture
    let model: AsuraModel
    let trace: AsuraTrace
    let losses: AsuraLosses

    init() throws {
        let run = try Self.run.get()
        (fixture, model, trace, losses) = (run.fixture, run.model, run.trace, run.losses)
    }

    @Test func drawsAreTakenInTheReferenceOrder() throws {
        #expect(try Self.run.get().undrawn == 0, "the reference drew more random values than Harp asked for")
    }

    @Test func framesMatchSignalToFrames() throws {
        for name in ["frames.0.m", "frames.0.phi", "frames.1.m"] {
            let actual = try #require(trace.values[name], "no \(name)")
            expectClose(actual, try fixture.tensor(name), relative: 1e-4, absolute: 2e-5, name)
        }
    }

    @Test func everySubNetworkCallMatches() throws {
        let names = fixture.trace.names.filter { $0.hasPrefix("call.") }.sorted()
        #expect(names.count == trace.values.keys.filter { $0.hasPrefix("call.") }.count)
        for name in names {
            let actual = try #require(trace.values[name], "Harp made no \(name)")
            expectClose(actual, try fixture.tensor(name), relative: 2e-4, absolute: 2e-5, name)
        }
    }

    @Test func everyLossTermMatches() throws {
        for (name, value) in losses.named {
            expectClose(value.reshaped([1]), try fixture.tensor("loss.\(name)"), relative: 1e-4, absolute: 1e-6, name)
        }
    }

    @Test func everyGradientMatches() throws {
        let parameters = model.namedParameters()
        let expectedNames = Set(fixture.trace.names.filter { $0.hasPrefix("grad.") }.map { String($0.dropFirst(5)) })
        #expect(Set(parameters.map(\.name)) == expectedNames)
        for (name, parameter) in parameters {
            let expected = try fixture.tensor("grad.\(name)")
            let scale = expected.scalars.map(abs).max() ?? 0
            let actual = parameter.grad ?? Tensor.zeros(parameter.shape)
            expectClose(actual, expected, relative: 1e-3, absolute: max(1e-6 * scale, 1e-9), "grad \(name)")
        }
    }
}
