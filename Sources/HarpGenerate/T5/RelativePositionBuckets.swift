import Foundation

/// T5's relative-position buckets: a signed distance `key − query` mapped to one of
/// `bucketCount` buckets, half per direction (bidirectional encoder); within each half, distances
/// below a quarter of the buckets have their own bucket and longer ones share log-spaced buckets
/// up to `maxDistance`.
///
/// ref: huggingface/transformers `models/t5/modeling_t5.py` `T5Attention._relative_position_bucket`
/// (computed in Float32 as there, so the bucket boundaries fall where PyTorch's do).
enum RelativePositionBuckets {
    static func bucket(relativePosition: Int, bucketCount: Int, maxDistance: Int) -> Int {
        let half = bucketCount / 2
        var bucket = relativePosition > 0 ? half : 0
        let distance = abs(relativePosition)
        let exact = half / 2
        if distance < exact { return bucket + distance }
        let ratio = Float(distance) / Float(exact)
        let span = Float(Foundation.log(Double(maxDistance) / Double(exact)))
        let logarithmic = Int(Foundation.log(ratio) / span * Float(half - exact))
        bucket += min(exact + logarithmic, half - 1)
        return bucket
    }

    /// `[queryLength, keyLength]` buckets, row-major.
    static func table(queryLength: Int, keyLength: Int, bucketCount: Int, maxDistance: Int) -> [Int] {
        var table: [Int] = []
        table.reserveCapacity(queryLength * keyLength)
        for query in 0..<queryLength {
            for key in 0..<keyLength {
                table.append(bucket(relativePosition: key - query, bucketCount: bucketCount, maxDistance: maxDistance))
            }
        }
        return table
    }
}
