import Foundation

/// Where the figures were measured.
public struct MachineDescription: Codable, Sendable {
    public let processor: String
    public let logicalProcessorCount: Int
    public let operatingSystem: String
    public let buildConfiguration: String

    enum CodingKeys: String, CodingKey {
        case processor
        case logicalProcessorCount = "logical_processors"
        case operatingSystem = "operating_system"
        case buildConfiguration = "build_configuration"
    }

    public static var current: MachineDescription {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let modelLine = cpuInfo.split(separator: "\n").first { $0.hasPrefix("model name") }
        let model = modelLine.flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        #if DEBUG
        let configuration = "debug (figures meaningless: use -c release)"
        #else
        let configuration = "release"
        #endif
        return MachineDescription(processor: model,
                                  logicalProcessorCount: ProcessInfo.processInfo.activeProcessorCount,
                                  operatingSystem: ProcessInfo.processInfo.operatingSystemVersionString,
                                  buildConfiguration: configuration)
    }
}
