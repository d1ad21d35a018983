// swift-tools-version: 6.0
// Harp — neural sound in Swift. The layering (see docs/DESIGN.md) reads top to bottom:
// system libraries → HarpAudio / HarpTensor → HarpNN → HarpOptim / HarpDSP → models → CLI.
import PackageDescription

import Foundation

/// The numeric targets are compiled for the building machine's vector unit (builds are native):
/// AVX2 + FMA (Haswell and later, AMD Zen) when /proc/cpuinfo lists them, else baseline x86-64.
let numericSettings: [SwiftSetting] = {
    let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let hasAVX2 = cpuInfo.contains(" avx2") && cpuInfo.contains(" fma")
    return hasAVX2 ? [.unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux]))] : []
}()

let package = Package(
    name: "Harp",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "harp", targets: ["harp"]),
        .library(name: "HarpAudio", targets: ["HarpAudio"]),
        .library(name: "HarpTensor", targets: ["HarpTensor"]),
        .library(name: "HarpNN", targets: ["HarpNN"]),
        .library(name: "HarpOptim", targets: ["HarpOptim"]),
        .library(name: "HarpDSP", targets: ["HarpDSP"]),
        .library(name: "HarpInstrument", targets: ["HarpInstrument"]),
        .library(name: "HarpCodec", targets: ["HarpCodec"]),
        .library(name: "HarpTrain", targets: ["HarpTrain"]),
        .library(name: "HarpText", targets: ["HarpText"]),
        .library(name: "HarpGenerate", targets: ["HarpGenerate"]),
        .library(name: "HarpDenoise", targets: ["HarpDenoise"]),
        .library(name: "HarpLatent", targets: ["HarpLatent"]),
        .library(name: "HarpAsura", targets: ["HarpAsura"]),
        .library(name: "HarpServer", targets: ["HarpServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    ],
    targets: [
        // System libraries: thin module maps over Debian's -dev packages, never re-exported.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f",
                       providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile",
                       providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // Audio files and resampling; no Tensor, so the real-time path can use it alone.
        .target(name: "HarpAudio", dependencies: ["CSndFile"]),

        // The engine.
        .target(name: "HarpTensor", dependencies: ["CBLAS", "CFFTW"], swiftSettings: numericSettings),
        .target(name: "HarpNN", dependencies: ["HarpTensor"]),
        .target(name: "HarpOptim", dependencies: ["HarpNN", "HarpTensor"]),
        .target(name: "HarpDSP", dependencies: ["HarpTensor", "CZlib"], swiftSettings: numericSettings),

        // What every trained model shares: datasets over folders, the loop, checkpoints, reports.
        .target(name: "HarpTrain",
                dependencies: ["HarpTensor", "HarpNN", "HarpOptim", "HarpDSP", "HarpAudio"]),

        // Models.
        .target(name: "HarpInstrument",
                dependencies: ["HarpTensor", "HarpNN", "HarpOptim", "HarpDSP", "HarpAudio", "HarpTrain"]),

        // Neural codecs: EnCodec and DAC from their published weights (seed 003's family).
        .target(name: "HarpCodec",
                dependencies: ["HarpTensor", "HarpNN", "HarpOptim", "HarpDSP", "HarpAudio", "HarpTrain"],
                resources: [.copy("Resources")]),

        // Text: SentencePiece (T5) and WordPiece (BERT) tokenizers, the MiniLM sentence encoder.
        .target(name: "HarpText", dependencies: ["HarpTensor"]),

        // Text to music: MusicGen (T5 encoder, decoder LM over codec tokens) from its published weights,
        // and Harp's own generator (MiniLM-conditioned, over the bundled codec's tokens), trained here.
        .target(name: "HarpGenerate",
                dependencies: ["HarpTensor", "HarpNN", "HarpOptim", "HarpDSP", "HarpAudio", "HarpTrain", "HarpCodec", "HarpText"],
                resources: [.copy("Resources")]),

        // DeepFilterNet3 speech enhancement from its published weights (seed 004's denoiser).
        .target(name: "HarpDenoise",
                dependencies: ["HarpTensor", "HarpNN", "HarpDSP", "HarpAudio"],
                resources: [.copy("Resources")]),

        // Music2Latent, the consistency autoencoder (seed 002): audio ↔ continuous latents.
        .target(name: "HarpLatent", dependencies: ["HarpTensor", "HarpNN", "HarpDSP", "HarpOptim", "HarpTrain"],
                resources: [.copy("Resources")]),

        // Asura's Harp (seed 000): latent flow autoencoder with amortised flow decoders.
        .target(name: "HarpAsura",
                dependencies: ["HarpTensor", "HarpNN", "HarpOptim", "HarpTrain"]),

        // The web player: static page, instruments over HTTP (Hummingbird).
        .target(name: "HarpServer",
                dependencies: [
                    "HarpInstrument", "HarpDSP",
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "HummingbirdCore", package: "hummingbird"),
                    .product(name: "NIOCore", package: "swift-nio"),
                    .product(name: "HTTPTypes", package: "swift-http-types"),
                ],
                resources: [.copy("Web")]),

        // `harp bench engine`: the engine's primitives, timed (benchmarks, never in `swift test`).
        .target(name: "HarpBenchmarks", dependencies: ["HarpTensor", "HarpNN", "HarpOptim", "HarpDSP", "HarpCodec"]),

        // The command line: parses, prints, exits — no math.
        .executableTarget(name: "harp", dependencies: [
            "HarpAudio", "HarpTensor", "HarpNN", "HarpOptim", "HarpDSP", "HarpInstrument",
            "HarpCodec", "HarpText", "HarpGenerate", "HarpDenoise", "HarpLatent", "HarpServer", "HarpBenchmarks", "HarpAsura",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Shared test helpers (not a product).
        .target(name: "HarpTestSupport", dependencies: ["HarpTensor", "HarpAudio"],
                path: "Sources/HarpTestSupport"),

        .testTarget(name: "HarpAudioTests", dependencies: ["HarpAudio", "HarpTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "HarpTensorTests", dependencies: ["HarpTensor", "HarpTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "HarpNNTests", dependencies: ["HarpNN", "HarpTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "HarpOptimTests", dependencies: ["HarpOptim", "HarpTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "HarpDSPTests", dependencies: ["HarpDSP", "HarpTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "HarpInstrumentTests", dependencies: ["HarpInstrument", "HarpTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "HarpTrainTests", dependencies: ["HarpTrain", "HarpAudio", "HarpTestSupport"]),
        .testTarget(name: "HarpCodecTests", dependencies: ["HarpCodec", "HarpAudio", "HarpTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "HarpTextTests", dependencies: ["HarpText", "HarpTensor", "HarpTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HarpGenerateTests", dependencies: ["HarpGenerate", "HarpAudio", "HarpText", "HarpTrain", "HarpTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "HarpDenoiseTests", dependencies: ["HarpDenoise", "HarpTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "HarpLatentTests", dependencies: ["HarpLatent", "HarpAudio", "HarpTrain", "HarpTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "HarpAsuraTests", dependencies: ["HarpAsura", "HarpAudio", "HarpTrain", "HarpTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "HarpCLITests", dependencies: ["HarpTensor", "HarpTestSupport"]),
        .testTarget(name: "HarpServerTests",
                    dependencies: [
                        "HarpServer", "HarpInstrument", "HarpTensor", "HarpDSP", "HarpTestSupport",
                        .product(name: "HummingbirdTesting", package: "hummingbird"),
                    ]),
    ],
    swiftLanguageModes: [.v5]
)
