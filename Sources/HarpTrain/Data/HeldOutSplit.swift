import HarpTensor

/// The split of a corpus into training and held-out files: a file is held out when a hash of its
/// relative path falls below the fraction, so the split is stable as files are added or removed,
/// and identical on every machine and process.
enum HeldOutSplit {
    /// `(training, heldOut)`, each keeping the input order. With two files or more, each side
    /// gets at least one (the file whose hash is smallest is held out when none fell below).
    static func split(_ clips: [CachedClip], fraction: Double) -> ([CachedClip], [CachedClip]) {
        let scores = clips.map { unitHash($0.relativePath) }
        var held = Set(clips.indices.filter { scores[$0] < fraction })
        if held.isEmpty, fraction > 0, let smallest = clips.indices.min(by: { scores[$0] < scores[$1] }) {
            held.insert(smallest)
        }
        if held.count == clips.count, let largest = clips.indices.max(by: { scores[$0] < scores[$1] }) {
            held.remove(largest)
        }
        let training = clips.indices.filter { !held.contains($0) }.map { clips[$0] }
        let heldOut = clips.indices.filter { held.contains($0) }.map { clips[$0] }
        return (training, heldOut)
    }

    /// A value in [0, 1) from the path's bytes (FNV-1a, then SplitMix's finaliser).
    static func unitHash(_ text: String) -> Double {
        let hash = FNV1a.hash(Array(text.utf8))
        return Double(RandomGenerator.bits(seed: hash, counter: 0) >> 11) / Double(1 << 53)
    }
}
