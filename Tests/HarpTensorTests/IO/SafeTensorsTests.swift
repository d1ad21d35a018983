import Foundation
import Testing
@testable import HarpTensor

@Suite struct SafeTensorsTests {
    @Test func readsAFileWrittenByPythonWithConversions() throws {
        let expected = try #require(IOFixtures.expected.safetensors["io_mixed.safetensors"])
        let file = try SafeTensorsFile(contentsOf: IOFixtures.url("io_mixed.safetensors"))
        #expect(file.metadata == expected.metadata)
        #expect(Set(file.names) == Set(expected.tensors.keys))
        for (name, array) in expected.tensors {
            #expect(try file.shape(of: name) == array.shape)
            let tensor = try file.tensor(named: name)
            #expect(tensor.shape == array.shape, "\(name)")
            #expect(tensor.scalars == array.values, "\(name)")
        }
        #expect(try file.entry(named: "encoder.half").dtype == .float16)
        #expect(try file.entry(named: "decoder.brain").dtype == .bfloat16)
    }

    @Test func roundTripsWithMetadata() throws {
        let url = IOFixtures.temporaryFolder().appendingPathComponent("model.safetensors")
        let tensors = ["b": Tensor([1, 2, 3]), "a.weight": Tensor(shape: [2, 2], values: [0.5, -1, 2, 8]),
                       "scalar": Tensor(scalar: 7), "empty": Tensor.zeros([0, 4])]
        let metadata = ["config": "{\"sampleRate\": 44100}", "tricky": "tab\tquote\"back\\slash é"]
        try SafeTensors.write(tensors, metadata: metadata, to: url)
        let file = try SafeTensorsFile(contentsOf: url)
        #expect(file.names == ["a.weight", "b", "empty", "scalar"])
        #expect(file.metadata == metadata)
        for (name, tensor) in tensors {
            let read = try file.tensor(named: name)
            #expect(read.shape == tensor.shape)
            #expect(read.scalars == tensor.scalars)
        }
        // The header length keeps the data 8-byte aligned.
        let header = SafeTensors.encodedHeader([("x", [3])], metadata: [:])
        #expect(header.count % 8 == 0)
    }

    @Test func missingTensorIsATypedError() throws {
        let file = try SafeTensorsFile(data: SafeTensors.encoded(["a": Tensor([1])]))
        expectThrows(.tensorNotFound("b")) { try _ = file.tensor(named: "b") }
    }

    /// Not a check in itself: with HARP_IO_EXPORT_DIR set, leaves files for
    /// `tools/make_io_optim_fixtures.py check DIR` to verify with numpy, safetensors and torch.
    @Test func writtenFilesForPythonCheck() throws {
        guard let folder = ProcessInfo.processInfo.environment["HARP_IO_EXPORT_DIR"] else { return }
        let base = URL(fileURLWithPath: folder)
        let values = Tensor(shape: [2, 3, 4], values: (0..<24).map { Float($0) * 0.5 })
        try NPY.write(values, to: base.appendingPathComponent("harp_written.npy"))
        try SafeTensors.write(["block.weight": values, "block.bias": Tensor([1, -2, 3])],
                              metadata: ["format": "harp", "note": "quote \" and newline \n"],
                              to: base.appendingPathComponent("harp_written.safetensors"))
    }
}

/// Malformed safetensors bytes, each crafted here, each rejected with its own error.
@Suite struct SafeTensorsMalformedTests {
    /// A file with `json` as its header followed by `dataBytes` zero bytes.
    static func file(_ json: String, dataBytes: Int) -> Data {
        let header = Array(json.utf8)
        var bytes: [UInt8] = (0..<8).map { UInt8(truncatingIfNeeded: header.count >> (8 * $0)) }
        bytes += header + [UInt8](repeating: 0, count: dataBytes)
        return Data(bytes)
    }

    static func entry(_ name: String, _ dtype: String = "F32", shape: String, offsets: String) -> String {
        "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
    }

    @Test func acceptsAWellFormedCraftedFile() throws {
        let json = "{" + Self.entry("a", shape: "[2]", offsets: "[0,8]") + "," + Self.entry("b", "F16", shape: "[2]", offsets: "[8,12]") + "}  "
        let file = try SafeTensorsFile(data: Self.file(json, dataBytes: 12))
        #expect(file.names == ["a", "b"])
        #expect(try file.tensor(named: "b").scalars == [0, 0])
    }

    @Test func rejectsTruncatedFiles() {
        expectThrows(.truncated(.safetensors, needed: 8, available: 3)) { try _ = SafeTensorsFile(data: Data([1, 0, 0])) }
        let whole = Self.file("{" + Self.entry("a", shape: "[2]", offsets: "[0,8]") + "}", dataBytes: 8)
        expectThrows(.offsetsOutOfRange(tensor: "a", begin: 0, end: 8, dataBytes: 5)) {
            try _ = SafeTensorsFile(data: whole.prefix(whole.count - 3))
        }
        expectThrows(.truncated(.safetensors, needed: whole.count - 8, available: 20)) {
            try _ = SafeTensorsFile(data: whole.prefix(20))
        }
    }

    @Test func rejectsHeaderLengthBeyondTheFileOrAbsurd() {
        var beyond = Data([0x00, 0x10, 0, 0, 0, 0, 0, 0]) // 4096
        beyond.append(contentsOf: Array("{}".utf8))
        expectThrows(.truncated(.safetensors, needed: 8 + 4096, available: 10)) { try _ = SafeTensorsFile(data: beyond) }
        let absurd = Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) + Data("{}".utf8)
        expectThrows(.headerTooLarge(.safetensors, length: UInt64.max, limit: SafeTensorsFile.headerLengthLimit)) {
            try _ = SafeTensorsFile(data: absurd)
        }
    }

    @Test(arguments: [
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}",    // unterminated
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}x",  // trailing text
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}",                          // missing offsets
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", // fractional size
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}",     // one offset
        "{\"a\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", // mistyped shape
        "{\"a\":[1,2]}",
        "{\"__metadata__\":{\"k\":3}}",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"dtype\":\"F16\"}}",
        "[]",
    ])
    func rejectsMalformedJSON(json: String) {
        expectThrows(matching: { if case .malformedHeader(.safetensors, _) = $0 { return true }; return false }) {
            try _ = SafeTensorsFile(data: Self.file(json, dataBytes: 8))
        }
    }

    @Test func rejectsUnknownDTypeAndUnconvertibleOnRead() throws {
        expectThrows(.unsupportedDType(.safetensors, dtype: "F128", tensor: "a")) {
            try _ = SafeTensorsFile(data: Self.file("{" + Self.entry("a", "F128", shape: "[1]", offsets: "[0,16]") + "}", dataBytes: 16))
        }
        let file = try SafeTensorsFile(data: Self.file("{" + Self.entry("mask", "BOOL", shape: "[4]", offsets: "[0,4]") + "}", dataBytes: 4))
        expectThrows(.unsupportedDType(.safetensors, dtype: "BOOL", tensor: "mask")) { try _ = file.tensor(named: "mask") }
    }

    @Test func rejectsNegativeDimensions() {
        expectThrows(.negativeDimension(tensor: "a", shape: [-2])) {
            try _ = SafeTensorsFile(data: Self.file("{" + Self.entry("a", shape: "[-2]", offsets: "[0,8]") + "}", dataBytes: 8))
        }
    }

    @Test func rejectsElementCountOverflow() {
        let big = "[4611686018427387904,4]"
        expectThrows(.elementCountOverflow(tensor: "a", shape: [4_611_686_018_427_387_904, 4])) {
            try _ = SafeTensorsFile(data: Self.file("{" + Self.entry("a", shape: big, offsets: "[0,8]") + "}", dataBytes: 8))
        }
    }

    @Test func rejectsShapeDisagreeingWithOffsets() {
        expectThrows(.dataSizeMismatch(tensor: "a", expectedBytes: 12, actualBytes: 8)) {
            try _ = SafeTensorsFile(data: Self.file("{" + Self.entry("a", shape: "[3]", offsets: "[0,8]") + "}", dataBytes: 8))
        }
    }

    @Test func rejectsOffsetsOutOfRange() {
        expectThrows(.offsetsOutOfRange(tensor: "a", begin: 8, end: 16, dataBytes: 8)) {
            try _ = SafeTensorsFile(data: Self.file("{" + Self.entry("a", shape: "[2]", offsets: "[8,16]") + "}", dataBytes: 8))
        }
        expectThrows(.offsetsOutOfRange(tensor: "a", begin: 8, end: 0, dataBytes: 8)) {
            try _ = SafeTensorsFile(data: Self.file("{" + Self.entry("a", shape: "[0]", offsets: "[8,0]") + "}", dataBytes: 8))
        }
    }

    @Test func rejectsOverlappingTensors() {
        let json = "{" + Self.entry("a", shape: "[2]", offsets: "[0,8]") + "," + Self.entry("b", shape: "[2]", offsets: "[4,12]") + "}"
        expectThrows(.overlappingTensors("a", "b")) { try _ = SafeTensorsFile(data: Self.file(json, dataBytes: 12)) }
    }

    @Test func rejectsGapsAndUncoveredTail() {
        let gap = "{" + Self.entry("a", shape: "[1]", offsets: "[0,4]") + "," + Self.entry("b", shape: "[1]", offsets: "[8,12]") + "}"
        expectThrows(.uncoveredBytes(begin: 4, end: 8)) { try _ = SafeTensorsFile(data: Self.file(gap, dataBytes: 12)) }
        let tail = "{" + Self.entry("a", shape: "[1]", offsets: "[0,4]") + "}"
        expectThrows(.uncoveredBytes(begin: 4, end: 12)) { try _ = SafeTensorsFile(data: Self.file(tail, dataBytes: 12)) }
    }

    @Test func rejectsDuplicateNames() {
        let json = "{" + Self.entry("a", shape: "[1]", offsets: "[0,4]") + "," + Self.entry("a", shape: "[1]", offsets: "[4,8]") + "}"
        expectThrows(.duplicateName("a")) { try _ = SafeTensorsFile(data: Self.file(json, dataBytes: 8)) }
    }

    @Test func rejectsOffsetsTooLargeForInt() {
        let json = "{" + Self.entry("a", shape: "[1]", offsets: "[0,99999999999999999999]") + "}"
        expectThrows(matching: { if case .malformedHeader(.safetensors, _) = $0 { return true }; return false }) {
            try _ = SafeTensorsFile(data: Self.file(json, dataBytes: 4))
        }
    }
}
