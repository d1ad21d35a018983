import Foundation
import Testing
@testable import HarpTensor

/// Integer `.npy` arrays read as `IntTensor`: exactly, never through floats.
@Suite struct NPYIntegerTests {
    @Test func readsIntegerFilesWrittenByNumPyExactly() throws {
        let int32 = try NPY.readIntegers(contentsOf: IOFixtures.url("io_i4.npy"))
        #expect(int32 == IntTensor(shape: [2, 2], scalars: [-3, 0, 7, 1 << 20]))
        let bytes = try NPY.readIntegers(contentsOf: IOFixtures.url("io_u1.npy"))
        #expect(bytes == IntTensor(shape: [4], scalars: [0, 1, 128, 255]))
    }

    @Test func refusesValuesBeyondThirtyTwoBits() {
        // io_i8.npy holds 2⁴⁰, which a float read would silently keep approximately.
        expectThrows(.integerOutOfRange(tensor: "array", value: 1 << 40)) {
            _ = try NPY.readIntegers(contentsOf: IOFixtures.url("io_i8.npy"))
        }
    }

    @Test func refusesFloatArrays() {
        expectThrows(.expectedIntegers(.npy, dtype: "<f4")) {
            _ = try NPY.readIntegers(contentsOf: IOFixtures.url("io_f4.npy"))
        }
    }

    @Test func writesInt64ThatReadsBack() throws {
        let folder = IOFixtures.temporaryFolder()
        let url = folder.appendingPathComponent("codes.npy")
        let codes = IntTensor(shape: [1, 2, 3], scalars: [0, 1023, 5, -1, Int32.max, Int32.min])
        try NPY.write(codes, to: url)
        #expect(try NPY.readIntegers(contentsOf: url) == codes)
        let data = try Data(contentsOf: url)
        #expect(String(decoding: data.prefix(64), as: UTF8.self).contains("'descr': '<i8'"))
        // The header is padded to 64 bytes; six 8-byte values follow it.
        #expect((data.count - 6 * 8) % 64 == 0)
    }
}
