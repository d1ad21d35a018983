import ArgumentParser
import Foundation
import HarpAsura
import HarpAudio
import HarpCodec
import HarpTensor

/// `harp asura …`: latents, control maps and offline renders of an Asura's Harp model.
struct AsuraCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asura",
        abstract: "Use an Asura's Harp model (seed 000): cache latents, train a control map, render knob automation.",
        discussion: "Models come from `harp train asura`. See docs/asura.md.",
        subcommands: [AsuraEncodeCommand.self, AsuraControlMapCommand.self, AsuraRenderCommand.self])

    /// A model written by `harp train asura`, with its path in errors.
    static func loadModel(_ path: String) throws -> AsuraModel {
        try ErrorReporting.blaming(path) { try AsuraModel.load(contentsOf: URL(fileURLWithPath: path)) }
    }

    /// The audio files under `paths` (folders searched recursively, hidden files left out), sorted.
    static func audioFiles(in paths: [String]) throws -> [String] {
        var found: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw ErrorReporting.Failure("\(path): no such file or folder")
            }
            guard isFolder.boolValue else { found.append(path); continue }
            let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: path), includingPropertiesForKeys: nil,
                                                        options: [.skipsHiddenFiles])
            while let url = walker?.nextObject() as? URL {
                if AudioCorpusExtensions.contains(url.pathExtension.lowercased()) { found.append(url.path) }
            }
        }
        return found.sorted()
    }

    static let AudioCorpusExtensions: Set<String> = ["wav", "flac", "ogg", "oga", "opus", "mp3", "aif", "aiff", "aifc", "caf", "w64"]
}
