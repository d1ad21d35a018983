import Foundation

/// Peak resident memory of one piece of work (for a benchmark case: preparing its inputs and its
/// first run; run the case alone, `--filter`, for a figure unaffected by memory the allocator
/// kept from earlier cases), on Linux from `/proc/self`: writing `5` to
/// `clear_refs` resets the high-water mark (`VmHWM`), which is read after the work. Elsewhere (or
/// when the reset is refused) it falls back to `getrusage`'s `ru_maxrss`, the peak of the whole
/// process so far, and says so.
public struct PeakMemory: Codable, Sendable {
    /// Resident bytes just before the work (inputs already allocated).
    public let residentBytesBefore: Int
    /// The highest resident bytes seen during the work.
    public let peakResidentBytes: Int
    /// What the work added at its peak: `peakResidentBytes − residentBytesBefore`.
    public var addedBytes: Int { peakResidentBytes - residentBytesBefore }
    /// `"VmHWM after clear_refs"` or `"ru_maxrss (process lifetime)"`.
    public let method: String

    enum CodingKeys: String, CodingKey {
        case residentBytesBefore = "rss_before_bytes"
        case peakResidentBytes = "peak_rss_bytes"
        case method
        case addedBytes = "added_bytes"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        residentBytesBefore = try container.decode(Int.self, forKey: .residentBytesBefore)
        peakResidentBytes = try container.decode(Int.self, forKey: .peakResidentBytes)
        method = try container.decode(String.self, forKey: .method)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(residentBytesBefore, forKey: .residentBytesBefore)
        try container.encode(peakResidentBytes, forKey: .peakResidentBytes)
        try container.encode(addedBytes, forKey: .addedBytes)
        try container.encode(method, forKey: .method)
    }

    init(residentBytesBefore: Int, peakResidentBytes: Int, method: String) {
        self.residentBytesBefore = residentBytesBefore
        self.peakResidentBytes = peakResidentBytes
        self.method = method
    }

    static func measure(_ work: () -> Void) -> PeakMemory {
        let before = statusBytes("VmRSS:") ?? 0
        if resetHighWaterMark() {
            work()
            if let peak = statusBytes("VmHWM:") {
                return PeakMemory(residentBytesBefore: before, peakResidentBytes: peak, method: "VmHWM after clear_refs")
            }
        } else {
            work()
        }
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return PeakMemory(residentBytesBefore: before, peakResidentBytes: Int(usage.ru_maxrss) * 1024,
                          method: "ru_maxrss (process lifetime)")
    }

    private static func resetHighWaterMark() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    /// A `kB` line of `/proc/self/status`, in bytes.
    private static func statusBytes(_ key: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
              let kilobytes = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap({ Int($0) }) else { return nil }
        return kilobytes * 1024
    }
}
