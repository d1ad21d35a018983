import Foundation
import HarpNN
import HarpOptim
import HarpTensor

/// Everything a run needs to continue exactly where it stopped — models, optimiser states,
/// weight averages, random generators, the step (which is also the data cursor: batches are a
/// pure function of it), the loss history and the run's configuration — saved as one safetensors
/// file, atomically, so a crash or `kill -9` at any moment leaves the previous checkpoint whole.
///
/// ```swift
/// let state = TrainingState(kind: "codec", configuration: options)
/// state.register(generator, named: "generator")
/// state.register(optimizer, named: "generator")
/// if resuming { try state.restore(from: url) }
/// … state.step += 1; try state.save(to: url)
/// ```
public final class TrainingState {
    public static let formatVersion = 1

    /// What kind of run this is (`codec`, `latent`, …); a checkpoint of another kind is refused.
    public let kind: String
    /// The run's settings as canonical JSON; resuming with other settings is refused, naming each difference.
    public let configurationJSON: String
    /// Completed steps.
    public var step = 0
    /// Random generators by name (noise, dropout, …), saved with their positions.
    public var generators: [String: RandomGenerator] = [:]
    /// Per-step values of each loss term, for the report's curves.
    public var history: [String: [Float]] = [:]

    private var modules: [(String, Module)] = []
    private var optimizers: [(String, any Optimizer)] = []
    private var averages: [(String, ExponentialMovingAverage)] = []

    public init<Configuration: Encodable>(kind: String, configuration: Configuration) throws {
        self.kind = kind
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        configurationJSON = String(decoding: try encoder.encode(configuration), as: UTF8.self)
    }

    public func register(_ module: Module, named name: String) { modules.append((name, module)) }
    public func register(_ optimizer: any Optimizer, named name: String) { optimizers.append((name, optimizer)) }
    public func register(_ average: ExponentialMovingAverage, named name: String) { averages.append((name, average)) }

    /// Appends one step's losses to the history.
    public func record(_ result: StepResult) {
        for (term, value) in result.losses { history[term, default: []].append(value) }
    }

    /// Writes the state to `url`: a temporary file beside it, flushed, then renamed over it.
    public func save(to url: URL) throws {
        var tensors: [String: Tensor] = [:]
        for (name, module) in modules {
            for (key, tensor) in module.stateDict() { tensors["model.\(name).\(key)"] = tensor }
        }
        for (name, optimizer) in optimizers {
            for (key, tensor) in optimizer.stateDict() { tensors["optimizer.\(name).\(key)"] = tensor }
        }
        for (name, average) in averages {
            for (key, tensor) in average.stateDict() { tensors["ema.\(name).\(key)"] = tensor }
        }
        for (term, values) in history where !values.isEmpty { tensors["history.\(term)"] = Tensor(values) }
        let header = Header(formatVersion: Self.formatVersion, kind: kind, step: step,
                            generators: generators.mapValues { [$0.seed, $0.position] })
        let metadata = [
            "harp.format": "training-checkpoint",
            "harp.checkpoint": String(decoding: try JSONEncoder().encode(header), as: UTF8.self),
            "harp.configuration": configurationJSON,
        ]
        try SafeTensors.write(tensors, metadata: metadata, to: url)
    }

    /// Restores a state saved by a run of the same kind and settings.
    /// - Throws: `TrainingError.configurationMismatch` naming each setting that differs;
    ///   `.malformedCheckpoint` for a file that is not such a checkpoint.
    public func restore(from url: URL) throws {
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(contentsOf: url) } catch {
            throw TrainingError.malformedCheckpoint(path: url.path, reason: "\(error)")
        }
        let header = try readHeader(file, url: url)
        let differences = ConfigurationDifference.between(saved: file.metadata["harp.configuration"] ?? "{}",
                                                          current: configurationJSON)
        guard differences.isEmpty else { throw TrainingError.configurationMismatch(differences) }
        let tensors = try file.tensors()
        for (name, module) in modules { try module.load(stateDict: Self.group(tensors, prefix: "model.\(name).")) }
        for (name, optimizer) in optimizers {
            try optimizer.load(stateDict: Self.group(tensors, prefix: "optimizer.\(name)."))
        }
        for (name, average) in averages { try average.load(stateDict: Self.group(tensors, prefix: "ema.\(name).")) }
        history = Self.group(tensors, prefix: "history.").mapValues(\.scalars)
        step = header.step
        for (name, pair) in header.generators where pair.count == 2 {
            generators[name] = RandomGenerator(seed: pair[0], position: pair[1])
        }
    }

    private func readHeader(_ file: SafeTensorsFile, url: URL) throws -> Header {
        guard file.metadata["harp.format"] == "training-checkpoint", let json = file.metadata["harp.checkpoint"],
              let header = try? JSONDecoder().decode(Header.self, from: Data(json.utf8)) else {
            throw TrainingError.malformedCheckpoint(path: url.path, reason: "no training header")
        }
        guard header.formatVersion <= Self.formatVersion else {
            throw TrainingError.malformedCheckpoint(path: url.path, reason: "format \(header.formatVersion) is newer than this harp")
        }
        guard header.kind == kind else {
            throw TrainingError.malformedCheckpoint(path: url.path, reason: "it is a \(header.kind) run, not a \(kind) run")
        }
        return header
    }

    private static func group(_ tensors: [String: Tensor], prefix: String) -> [String: Tensor] {
        var group: [String: Tensor] = [:]
        for (key, tensor) in tensors where key.hasPrefix(prefix) { group[String(key.dropFirst(prefix.count))] = tensor }
        return group
    }

    private struct Header: Codable {
        var formatVersion: Int
        var kind: String
        var step: Int
        var generators: [String: [UInt64]]
    }
}
