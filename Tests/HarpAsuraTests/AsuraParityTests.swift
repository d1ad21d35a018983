import Foundation
import HarpAsura
import HarpTensor
import HarpTestSupport
import Testing

/// One training forward and backward of the tiny configuration against the published PyTorch code
/// (fixtures from `tools/asura/reference.py`), replaying the reference's random draws.
///
/// Tolerances: everything is float32 on both sides; what differs is summation order (BLAS against
/// PyTorch's kernels, Harp's depthwise convolution against oneDNN's) and libm against SLEEF for
/// exp, sin and cos. Measured, the frames and sub-network calls agree within 2·10⁻⁶ + 2·10⁻⁵
/// relative, the loss terms within 10⁻⁵ relative, and every gradient within 10⁻⁴ relative (plus
/// 10⁻⁶ of the tensor's largest gradient, for entries that nearly cancel); the tests hold those.
/// The one bit that mattered was π: `Float.pi` is rounded toward zero, PyTorch's to nearest, which
/// moved time encodings at phases of ~3000 rad by 2·10⁻⁴ (see `SinusoidEncoding`).
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
            expectClose(actual, try fixture.tensor(name), relative: 1e-5, absolute: 2e-6, name)
        }
    }

    @Test func everySubNetworkCallMatches() throws {
        let names = fixture.trace.names.filter { $0.hasPrefix("call.") }.sorted()
        #expect(names.count == trace.values.keys.filter { $0.hasPrefix("call.") }.count)
        for name in names {
            let actual = try #require(trace.values[name], "Harp made no \(name)")
            expectClose(actual, try fixture.tensor(name), relative: 2e-5, absolute: 2e-6, name)
        }
    }

    @Test func everyLossTermMatches() throws {
        for (name, value) in losses.named {
            expectClose(value.reshaped([1]), try fixture.tensor("loss.\(name)"), relative: 1e-5, absolute: 1e-7, name)
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
            expectClose(actual, expected, relative: 1e-4, absolute: max(1e-6 * scale, 1e-9), "grad \(name)")
        }
    }
}
