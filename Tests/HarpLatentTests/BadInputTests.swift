import Foundation
import HarpTensor
import Testing
@testable import HarpLatent

/// Bad input is refused with a one-line `LatentError`, before any work.
@Suite struct BadInputTests {
    let model: ConsistencyAutoencoder

    init() throws { model = try TinyLatentModel.make() }

    @Test func latentsOfTheWrongRankChannelsOrWithNaNAreRefused() throws {
        var generator = RandomGenerator(seed: 0)
        for (latents, fragment) in [(Tensor.zeros([4, 3]), "rank 2"), (Tensor.zeros([1, 5, 3]), "5 latent channels"),
                                    (Tensor(shape: [1, 4, 2], values: [0, 0, .nan, 0, 0, 0, 0, 0]), "NaN")] {
            #expect { try model.decode(latents, generator: &generator) } throws: { error in
                "\(error)".contains(fragment)
            }
        }
    }

    @Test func zeroStepsAndMisshapenNoiseAreRefused() throws {
        var generator = RandomGenerator(seed: 0)
        let latents = Tensor.zeros([1, 4, 2])
        #expect(throws: LatentError.invalidSteps(0)) { try model.decode(latents, steps: 0, generator: &generator) }
        #expect { try model.decode(latents, noise: Tensor.zeros([1, 2, 64, 3]), generator: &generator) } throws: { error in
            "\(error)".contains("invalid noise")
        }
    }

    @Test func audioTooShortSaysHowLongItMustBe() throws {
        let minimum = model.configuration.minimumSampleCount
        #expect(throws: LatentError.audioTooShort(samples: minimum - 1, minimum: minimum, sampleRate: 44100)) {
            try model.encode(TinyLatentModel.audio(channels: 1, samples: minimum - 1))
        }
        #expect(try model.encode(TinyLatentModel.audio(channels: 1, samples: minimum)).shape == [1, 4, 1])
        let message = LatentError.audioTooShort(samples: 5000, minimum: 5632, sampleRate: 44100).description
        #expect(message.contains("at least 5632 samples (0.128 s at 44100 Hz)"))
    }

    @Test func aFolderOfAnotherArchitectureIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("latent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"model_type": "dac", "sampling_rate": 44100}"#.utf8).write(to: folder.appendingPathComponent("config.json"))
        try SafeTensors.write(["x": Tensor.zeros([1])], to: folder.appendingPathComponent("model.safetensors"))
        #expect { try ConsistencyAutoencoder(folder: folder) } throws: { error in
            "\(error)".hasPrefix("not a music2latent model folder") && "\(error)".contains("model_type dac")
        }
        // Right config, wrong weights.
        let config = try JSONEncoder().encode(TinyLatentModel.configuration)
        try config.write(to: folder.appendingPathComponent("config.json"))
        #expect { try ConsistencyAutoencoder(folder: folder) } throws: { error in
            "\(error)".contains("do not fit") && "\(error)".contains("missing")
        }
    }

    @Test func integerArraysAreNotLatents() throws {
        var header = "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 4, 1), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count + 1), 0]
        bytes += Array((header + "\n").utf8) + [UInt8](repeating: 0, count: 32)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("latent-\(UUID().uuidString).npy")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect { try LatentFile.read(url) } throws: { "\($0)".contains("dtype <i8") }
    }
}
