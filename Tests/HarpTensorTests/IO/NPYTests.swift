import Foundation
import Testing
@testable import HarpTensor

@Suite struct NPYTests {
    @Test(arguments: ["io_f4.npy", "io_f8.npy", "io_f2.npy", "io_i4.npy", "io_i8.npy", "io_u1.npy",
                      "io_scalar.npy", "io_empty.npy", "io_v2.npy", "io_v3.npy"])
    func readsFilesWrittenByNumPy(name: String) throws {
        let expected = try #require(IOFixtures.expected.npy[name])
        let tensor = try NPY.read(contentsOf: IOFixtures.url(name))
        #expect(tensor.shape == expected.shape)
        #expect(tensor.scalars == expected.values)
    }

    @Test func rejectsFortranOrderFromNumPy() {
        expectThrows(.fortranOrder) { try _ = NPY.read(contentsOf: IOFixtures.url("io_fortran.npy")) }
    }

    @Test func roundTripsThroughAFile() throws {
        let folder = IOFixtures.temporaryFolder()
        let url = folder.appendingPathComponent("round.npy")
        let tensor = Tensor(shape: [3, 1, 2], values: [1, -2, 3.5, 0, .infinity, -0.25])
        try NPY.write(tensor, to: url)
        let read = try NPY.read(contentsOf: url)
        #expect(read.shape == tensor.shape)
        #expect(read.scalars == tensor.scalars)
        // Only the destination is left behind: the temporary file was renamed into place.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["round.npy"])
    }

    @Test func headerIsPaddedSoDataIs64ByteAligned() {
        for shape in [[], [1], [7, 3], [2, 3, 4, 5, 6]] {
            #expect(NPY.encodedHeader(shape: shape).count % 64 == 0)
        }
        #expect(NPY.encoded(Tensor([1, 2])).count == 128 + 8)
    }

    @Test func writingIntoAMissingFolderFailsWithoutLeavingFiles() {
        let url = URL(fileURLWithPath: "/nonexistent-harp-folder/x.npy")
        expectThrows(matching: { if case .io = $0 { return true }; return false }) {
            try NPY.write(Tensor([1]), to: url)
        }
    }
}

/// Malformed `.npy` bytes, each crafted here, each rejected with its own error.
@Suite struct NPYMalformedTests {
    /// A `.npy` file with `header` as its dictionary and `data` after it (version 1.0).
    static func file(_ header: String, data: [UInt8] = [], version: UInt8 = 1) -> Data {
        let text = Array(header.utf8) + [0x0A]
        var bytes = NPY.magic + [version, 0]
        if version == 1 {
            bytes += [UInt8(text.count & 0xFF), UInt8(text.count >> 8)]
        } else {
            bytes += [UInt8(text.count & 0xFF), UInt8(text.count >> 8), 0, 0]
        }
        return Data(bytes + text + data)
    }

    static let floats8 = [UInt8](repeating: 0, count: 8)

    @Test func acceptsAWellFormedCraftedFile() throws {
        let tensor = try NPY.decode(Self.file("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data: Self.floats8))
        #expect(tensor.scalars == [0, 0])
    }

    @Test func rejectsTruncatedFiles() {
        let whole = Self.file("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data: Self.floats8)
        expectThrows(.truncated(.npy, needed: 10, available: 5)) { try _ = NPY.decode(whole.prefix(5)) }
        expectThrows(.truncated(.npy, needed: whole.count, available: whole.count - 3)) {
            try _ = NPY.decode(whole.prefix(whole.count - 3))
        }
        expectThrows(matching: { if case .truncated = $0 { return true }; return false }) {
            try _ = NPY.decode(whole.prefix(20))
        }
    }

    @Test func rejectsBadMagicAndVersions() {
        expectThrows(.badMagic(.npy)) { try _ = NPY.decode(Data("PK\u{3}\u{4}whatever".utf8)) }
        expectThrows(.unsupportedVersion(.npy, major: 9, minor: 0)) {
            try _ = NPY.decode(Self.file("{}", version: 9))
        }
    }

    @Test func rejectsHeaderLongerThanTheFile() {
        let bytes = Data(NPY.magic + [2, 0, 0xFF, 0xFF, 0xFF, 0x00] + Array("{'descr'".utf8))
        expectThrows(.truncated(.npy, needed: 12 + 0xFF_FFFF, available: bytes.count)) { try _ = NPY.decode(bytes) }
    }

    @Test func rejectsAbsurdHeaderLength() {
        let bytes = Data(NPY.magic + [2, 0, 0xFF, 0xFF, 0xFF, 0xFF] + Array("{}".utf8))
        expectThrows(.headerTooLarge(.npy, length: 0xFFFF_FFFF, limit: NPY.headerLengthLimit)) {
            try _ = NPY.decode(bytes)
        }
    }

    @Test(arguments: [
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,) ",       // unterminated
        "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }",      // bad literal
        "{'descr': '<f4', 'shape': (2,), }",                              // missing key
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,), }",    // non-integer size
        "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", // duplicate key
        "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", // too big to parse
        "[1, 2]",
    ])
    func rejectsMalformedHeaderDictionaries(header: String) {
        expectThrows(matching: { if case .malformedHeader(.npy, _) = $0 { return true }; return false }) {
            try _ = NPY.decode(Self.file(header, data: Self.floats8))
        }
    }

    @Test func rejectsUnknownAndBigEndianDTypes() {
        for descr in [">f4", "<c8", "|b1", "O"] {
            expectThrows(.unsupportedDType(.npy, dtype: descr, tensor: "array")) {
                try _ = NPY.decode(Self.file("{'descr': '\(descr)', 'fortran_order': False, 'shape': (2,), }", data: Self.floats8))
            }
        }
    }

    @Test func rejectsFortranOrder() {
        expectThrows(.fortranOrder) {
            try _ = NPY.decode(Self.file("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", data: Self.floats8))
        }
    }

    @Test func rejectsNegativeDimensions() {
        expectThrows(.negativeDimension(tensor: "array", shape: [2, -1])) {
            try _ = NPY.decode(Self.file("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }", data: Self.floats8))
        }
    }

    @Test func rejectsElementCountOverflowWithoutAllocating() {
        let huge = Int.max / 2
        expectThrows(.elementCountOverflow(tensor: "array", shape: [huge, 4])) {
            try _ = NPY.decode(Self.file("{'descr': '<f4', 'fortran_order': False, 'shape': (\(huge), 4), }"))
        }
    }

    @Test func rejectsShapesLargerThanTheDataWithoutAllocating() {
        // 10¹² floats would be 4 TB: the size check must come before any allocation.
        let data = Self.file("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", data: Self.floats8)
        expectThrows(.truncated(.npy, needed: data.count - 8 + 4_000_000_000_000, available: data.count)) {
            try _ = NPY.decode(data)
        }
    }

    @Test func rejectsTrailingData() {
        expectThrows(.dataSizeMismatch(tensor: "array", expectedBytes: 4, actualBytes: 8)) {
            try _ = NPY.decode(Self.file("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", data: Self.floats8))
        }
    }
}
