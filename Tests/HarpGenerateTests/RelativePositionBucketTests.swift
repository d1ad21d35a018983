import Foundation
@testable import HarpGenerate
import Testing

/// T5's bucket function against `transformers`' own for every distance in [−600, 600] under four
/// settings (fixture from `tools/musicgen/make_bucket_fixture.py`), boundaries of the log-spaced
/// buckets included.
@Suite struct RelativePositionBucketTests {
    struct Case: Decodable {
        var buckets: Int
        var max_distance: Int
        var first_position: Int
        var values: [Int]
    }

    @Test func bucketsMatchTransformers() throws {
        let data = try Data(contentsOf: OracleFolder.fixtures.appendingPathComponent("t5_buckets.json"))
        let cases = try JSONDecoder().decode([Case].self, from: data)
        #expect(cases.count == 4)
        for c in cases {
            let ours = c.values.indices.map {
                RelativePositionBuckets.bucket(relativePosition: c.first_position + $0, bucketCount: c.buckets,
                                               maxDistance: c.max_distance)
            }
            #expect(ours == c.values, "buckets \(c.buckets), max distance \(c.max_distance)")
        }
    }
}
