import Foundation

/// One source file of a corpus, converted once to the corpus's rate and channels and stored in
/// the cache as 16-bit PCM, planar `[channels, samples]`, read back through a memory map.
///
/// 16-bit storage halves the cache (18 h of 24 kHz mono is 3 GB instead of 6) at −96 dBFS of
/// quantisation noise, below what any codec trained here resolves.
public struct CachedClip: Sendable, Equatable {
    /// The source file.
    public let sourcePath: String
    /// Its path relative to the data folder it was found in (what the held-out split hashes).
    public let relativePath: String
    /// The cache file.
    public let cachePath: String
    /// Samples per channel at the corpus's rate.
    public let sampleCount: Int
    public let channelCount: Int

    /// Duration at `sampleRate`, in seconds.
    public func durationSeconds(sampleRate: Int) -> Double { Double(sampleCount) / Double(sampleRate) }
}
