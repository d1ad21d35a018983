import Foundation
import HarpTensor

/// The published DeepFilterNet3 weights, read from the safetensors file that
/// `tools/convert_dfn3.py` makes (PyTorch module names of DeepFilterNet's `DfNet`).
///
/// Every tensor is checked for presence and shape when the file is opened, so a malformed file
/// fails with one clear error before any audio is processed.
public struct DeepFilterNetWeights {
    /// Tensors by name.
    let tensors: [String: Tensor]

    /// The weights bundled with Harp (`Resources/Models/deepfilternet3/model.safetensors`, a
    /// resource of this target), found by `bundledURL`.
    public static func bundled() throws -> DeepFilterNetWeights {
        guard let url = bundledURL else {
            throw DenoiseError.missingModel("looked in $\(environmentVariable), "
                + bundleCandidate.deletingLastPathComponent().path + " and "
                + sourceTreeCandidate.deletingLastPathComponent().path
                + "; copy Harp_HarpDenoise.resources next to harp, or pass a converted file")
        }
        return try DeepFilterNetWeights(contentsOf: url)
    }

    /// Names a weights file that overrides the bundled one.
    public static let environmentVariable = "HARP_DENOISE_MODEL"

    /// Where the bundled weights are: `$HARP_DENOISE_MODEL` if set, else the
    /// `Harp_HarpDenoise.resources` bundle beside the executable (where `swift build` puts it, and
    /// where an installed `harp` needs it), else the source tree this was built from (a clone).
    /// `Bundle.module` is not used because it stops the process when its bundle is missing.
    public static var bundledURL: URL? {
        if let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return [bundleCandidate, sourceTreeCandidate].first { FileManager.default.fileExists(atPath: $0.path) }
    }

    static let resourcePath = "Resources/Models/deepfilternet3/model.safetensors"

    static var bundleCandidate: URL {
        Bundle.main.bundleURL.appendingPathComponent("Harp_HarpDenoise.resources").appendingPathComponent(resourcePath)
    }

    static var sourceTreeCandidate: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(resourcePath)
    }

    /// Reads the weights from a safetensors file.
    public init(contentsOf url: URL) throws {
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile(contentsOf: url)
        } catch {
            throw DenoiseError.missingModel("\(url.path): \(error)")
        }
        var tensors: [String: Tensor] = [:]
        for name in file.names {
            do { tensors[name] = try file.tensor(named: name) } catch {
                throw DenoiseError.badWeights("\(name): \(error)")
            }
        }
        self.tensors = tensors
        for (name, shape) in Self.expectedShapes {
            _ = try tensor(name, shape: shape)
        }
    }

    /// The tensor `name`, which must have `shape`.
    func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        guard let tensor = tensors[name] else { throw DenoiseError.badWeights("no tensor \(name)") }
        guard tensor.shape == shape else {
            throw DenoiseError.badWeights("\(name) has shape \(tensor.shape), expected \(shape)")
        }
        return tensor
    }

    /// Every tensor the model reads, with its shape (for the published 48 kHz configuration).
    static let expectedShapes: [String: [Int]] = {
        var shapes: [String: [Int]] = [
            "enc.erb_conv0.1.weight": [64, 1, 3, 3], "enc.erb_conv0.1.bias": [64],
            "enc.df_conv0.1.weight": [64, 1, 3, 3], "enc.df_conv0.2.weight": [64, 64, 1, 1], "enc.df_conv0.2.bias": [64],
            "enc.df_fc_emb.0.weight": [32, 96, 16],
            "enc.emb_gru.linear_in.0.weight": [16, 32, 16], "enc.emb_gru.linear_out.0.weight": [16, 16, 32],
            "enc.lsnr_fc.0.weight": [1, 512], "enc.lsnr_fc.0.bias": [1],
            "erb_dec.emb_gru.linear_in.0.weight": [16, 32, 16], "erb_dec.emb_gru.linear_out.0.weight": [16, 16, 32],
            "erb_dec.conv0_out.0.weight": [1, 64, 1, 3], "erb_dec.conv0_out.0.bias": [1],
            "df_dec.df_gru.linear_in.0.weight": [8, 64, 32], "df_dec.df_skip.weight": [16, 32, 16],
            "df_dec.df_out.0.weight": [16, 16, 60],
            "df_dec.df_convp.1.weight": [10, 32, 5, 1], "df_dec.df_convp.2.weight": [10, 10, 1, 1], "df_dec.df_convp.2.bias": [10],
        ]
        for name in ["enc.erb_conv1", "enc.erb_conv2", "enc.erb_conv3", "enc.df_conv1",
                     "erb_dec.convt3", "erb_dec.convt2", "erb_dec.convt1"] {
            shapes["\(name).0.weight"] = [64, 1, 1, 3]
            shapes["\(name).1.weight"] = [64, 64, 1, 1]
            shapes["\(name).1.bias"] = [64]
        }
        for name in ["conv3p", "conv2p", "conv1p", "conv0p"] {
            shapes["erb_dec.\(name).0.weight"] = [64, 1, 1, 1]
            shapes["erb_dec.\(name).0.bias"] = [64]
        }
        for (prefix, layers) in [("enc.emb_gru.gru", 1), ("erb_dec.emb_gru.gru", 2), ("df_dec.df_gru.gru", 2)] {
            for layer in 0..<layers {
                shapes["\(prefix).weight_ih_l\(layer)"] = [768, 256]
                shapes["\(prefix).weight_hh_l\(layer)"] = [768, 256]
                shapes["\(prefix).bias_ih_l\(layer)"] = [768]
                shapes["\(prefix).bias_hh_l\(layer)"] = [768]
            }
        }
        return shapes
    }()
}
