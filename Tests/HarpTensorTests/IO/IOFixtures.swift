import Foundation
import Testing
@testable import HarpTensor

/// Access to the committed IO fixtures and their expected values (written by
/// tools/make_io_optim_fixtures.py).
enum IOFixtures {
    struct ExpectedArray: Decodable {
        let shape: [Int]
        let values: [Float]
    }

    struct ExpectedSafeTensors: Decodable {
        let metadata: [String: String]
        let tensors: [String: ExpectedArray]
    }

    struct Expected: Decodable {
        let npy: [String: ExpectedArray]
        let safetensors: [String: ExpectedSafeTensors]
    }

    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name)
    }

    static let expected: Expected = {
        let data = try! Data(contentsOf: url("io_expected.json"))
        return try! JSONDecoder().decode(Expected.self, from: data)
    }()

    /// A fresh empty folder for files a test writes.
    static func temporaryFolder() -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("harp-io-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// Expects `body` to throw exactly `expected`, and its description to be one line.
func expectThrows(_ expected: TensorFileError, sourceLocation: SourceLocation = #_sourceLocation,
                  _ body: () throws -> Void) {
    expectThrows(sourceLocation: sourceLocation, matching: { $0 == expected }, body)
}

/// Expects `body` to throw a `TensorFileError` matching `matches` (for errors with long reasons).
func expectThrows(sourceLocation: SourceLocation = #_sourceLocation,
                  matching matches: (TensorFileError) -> Bool,
                  _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected an error, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as TensorFileError {
        #expect(matches(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
        #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a TensorFileError, got \(error)", sourceLocation: sourceLocation)
    }
}
