import Foundation
import HarpNN
import HarpTensor

/// A control map file could not be used.
public enum AsuraControlMapError: Error, CustomStringConvertible, Equatable {
    case notAControlMap(String)
    case wrongWidth(map: Int, model: Int)
    case otherModel(map: String, model: String)

    public var description: String {
        switch self {
        case let .notAControlMap(detail): "not an Asura control map (\(detail))"
        case let .wrongWidth(map, model): "the map's latents are \(map) wide, the model's \(model): it was made for another model"
        case let .otherModel(map, model): "the map was made for model \(map), not this one (\(model))"
        }
    }
}

extension AsuraControlMap {
    static let format = "asura-control-map"

    /// Writes the map (atomically) with its settings in the metadata.
    public func save(to url: URL) throws {
        let names = String(data: try JSONEncoder().encode(settings.knobNames), encoding: .utf8)!
        try save(to: url, metadata: [
            "harp.format": Self.format, "asura.map.latent_width": "\(settings.latentWidth)",
            "asura.map.hidden_width": "\(settings.hiddenWidth)", "asura.map.layers": "\(settings.layerCount)",
            "asura.map.knobs": "\(settings.knobCount)", "asura.map.model": settings.modelFingerprint,
            "asura.map.knob_names": names,
        ])
    }

    /// Reads a map written by `save(to:)`.
    public static func load(contentsOf url: URL) throws -> AsuraControlMap {
        let metadata = try SafeTensorsFile(contentsOf: url).metadata
        guard metadata["harp.format"] == format else {
            throw AsuraControlMapError.notAControlMap("format \(metadata["harp.format"] ?? "missing")")
        }
        func int(_ key: String) throws -> Int {
            guard let value = metadata["asura.map.\(key)"].flatMap(Int.init), value > 0 else {
                throw AsuraControlMapError.notAControlMap("no \(key)")
            }
            return value
        }
        let names = metadata["asura.map.knob_names"].flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        let settings = Settings(latentWidth: try int("latent_width"), hiddenWidth: try int("hidden_width"), layerCount: try int("layers"),
                                knobCount: try int("knobs"), modelFingerprint: metadata["asura.map.model"] ?? "",
                                knobNames: names)
        var generator = RandomGenerator(seed: 0)
        let map = AsuraControlMap(settings, generator: &generator)
        _ = try map.load(from: url)
        return map
    }

    /// Refuses a map made for another model, saying which.
    public func check(against model: AsuraModel) throws {
        guard settings.latentWidth == model.config.tokenWidth else {
            throw AsuraControlMapError.wrongWidth(map: settings.latentWidth, model: model.config.tokenWidth)
        }
        let fingerprint = model.fingerprint
        guard settings.modelFingerprint.isEmpty || settings.modelFingerprint == fingerprint else {
            throw AsuraControlMapError.otherModel(map: settings.modelFingerprint, model: fingerprint)
        }
    }
}
