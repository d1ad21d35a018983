import Foundation
import HarpNN
import HarpTensor
import Testing

@Suite struct StateDictTests {
    @Test func loadCopiesValuesInPlace() throws {
        let source = TestNetwork(fill: 3)
        let target = TestNetwork(fill: 0)
        let weight = target.layers[1].attackEnvelopes
        try target.load(stateDict: source.stateDict())
        #expect(target.layers[1].attackEnvelopes === weight)
        #expect(weight.scalars == Array(repeating: 4, count: 10))
        #expect(target.gain.item == 3)
    }

    @Test func strictLoadReportsMissingAndUnexpectedKeys() {
        let network = TestNetwork()
        var state = network.stateDict()
        state["gain"] = nil
        state["layers.9.weight"] = Tensor([1])
        #expect(throws: StateDictError.keyMismatch(missing: ["gain"], unexpected: ["layers.9.weight"])) {
            try network.load(stateDict: state)
        }
        let message = StateDictError.keyMismatch(missing: ["gain"], unexpected: ["layers.9.weight"]).description
        #expect(message == "state dict does not match the module: missing keys gain; unexpected keys layers.9.weight")
    }

    @Test func lenientLoadSkipsUnknownKeys() throws {
        let network = TestNetwork()
        try network.load(stateDict: ["gain": Tensor(scalar: 5), "other": Tensor([1])], strict: false)
        #expect(network.gain.item == 5)
    }

    @Test func shapeMismatchIsAnErrorAndChangesNothing() {
        let network = TestNetwork(fill: 1)
        var state = TestNetwork(fill: 2).stateDict()
        state["out_proj.weight"] = Tensor.zeros([2, 4])
        #expect(throws: StateDictError.shapeMismatch(key: "out_proj.weight", expected: [4, 2], actual: [2, 4])) {
            try network.load(stateDict: state)
        }
        #expect(network.gain.item == 1)
    }

    @Test func roundTripsThroughSafeTensorsWithMetadata() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("harp-nn-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let source = TestNetwork(fill: 0)
        for (index, parameter) in source.parameters().enumerated() {
            parameter.withUnsafeMutableBufferPointer { values in
                for i in values.indices { values[i] = Float(index) + Float(i) * 0.01 }
            }
        }
        source.layers[1].runningMean.assign(Tensor([7, 8]))
        try source.save(to: url, metadata: ["config": "{\"channels\":2}"])

        let target = TestNetwork(fill: -1)
        let metadata = try target.load(from: url)
        #expect(metadata == ["config": "{\"channels\":2}"])
        for ((name, expected), (_, actual)) in zip(source.namedStateEntries(), target.namedStateEntries()) {
            #expect(actual.scalars == expected.scalars, "\(name)")
        }
    }

    @Test func loadingAnUnrelatedFileReportsKeys() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("harp-nn-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensors.write(["something.else": Tensor([1])], to: url)
        #expect(throws: StateDictError.self) { try TestNetwork().load(from: url) }
        let error = #expect(throws: StateDictError.self) {
            try TestNetwork().load(from: URL(fileURLWithPath: "/nonexistent/x.safetensors"))
        }
        guard case .file(.io(path: "/nonexistent/x.safetensors", _))? = error else {
            Issue.record("expected an I/O error, got \(String(describing: error))")
            return
        }
    }
}
