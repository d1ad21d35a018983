import Foundation
import HarpTensor
import Testing

/// `mpirun -np 2 harp train codec --batch 1` follows `harp train codec --batch 2`: the same loss
/// terms and gradient norm at every step (the gradient norm is measured after the all-reduce, so
/// step 1's equals the whole batch's only if the gradients were averaged), and weights and
/// codebooks that agree after the run (Adam amplifies rounding differences of near-zero gradients,
/// so weights are compared to a fraction of the learning rate, not to float epsilon).
@Suite(.enabled(if: HarpBinary.path != nil && OpenMPI.mpirun != nil,
                "skipped: needs the harp executable and Open MPI's mpirun (Debian openmpi-bin)"))
struct DataParallelTrainingTests {
    static let steps = 3
    static let learningRate: Float = 3e-4

    let folder: String
    let data: String

    init() throws {
        folder = try HarpBinary.makeTemporaryFolder()
        data = folder + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for (index, rate) in [24000, 22050, 16000, 24000].enumerated() {
            let tone = WAVBytes.sine(frameCount: rate, channelCount: 1, sampleRate: rate, frequencyHz: 110 * Double(index + 2))
            try WAVBytes.write(WAVBytes.make(channelCount: 1, sampleRate: UInt32(rate), bitsPerSample: 16, payload: tone),
                               to: data + "/tone\(index).wav")
        }
    }

    private func options(batch: Int) -> [String] {
        ["--steps", "\(Self.steps)", "--batch", "\(batch)", "--seconds", "0.2", "--filters", "2", "--codebook-size", "16",
         "--checkpoint-every", "\(Self.steps)", "--report-every", "100", "--cache", folder + "/cache"]
    }

    @Test func twoProcessesWithBatchOneFollowOneProcessWithBatchTwo() throws {
        let single = try HarpBinary.run(["train", "codec", data, "-o", folder + "/one"] + options(batch: 2))
        #expect(single.status == 0, "\(single.standardError)")
        let parallel = try HarpBinary.runUnderMPI(OpenMPI.mpirun!, processes: 2,
                                                  ["train", "codec", data, "-o", folder + "/two"] + options(batch: 1))
        #expect(parallel.status == 0, "\(parallel.standardError)")
        // Rank 1 neither prints nor writes: one "finished" line.
        #expect(parallel.standardOutput.components(separatedBy: "finished").count == 2, "\(parallel.standardOutput)")

        let one = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: folder + "/one/checkpoint.safetensors")).tensors()
        let two = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: folder + "/two/checkpoint.safetensors")).tensors()
        for term in ["history.total", "history.mel", "history.waveform", "history.gradient norm"] {
            let a = try #require(one[term]).scalars, b = try #require(two[term]).scalars
            #expect(a.count == Self.steps && b.count == Self.steps, "\(term)")
            for (x, y) in zip(a, b) { #expect(abs(x - y) <= 1e-4 * max(1, abs(x)), "\(term): \(a) vs \(b)") }
        }
        var compared = 0, far = 0
        for (name, a) in one where name.hasPrefix("model.codec.") && !name.contains("inited") {
            let b = try #require(two[name], "\(name) missing")
            #expect(a.shape == b.shape)
            for (x, y) in zip(a.scalars, b.scalars) {
                let gap = abs(x - y) / max(1, abs(x))
                #expect(gap < Self.learningRate * Float(Self.steps), "\(name)")
                if gap > Self.learningRate / 10 { far += 1 }
                compared += 1
            }
        }
        #expect(compared > 1000)
        #expect(Double(far) < 0.01 * Double(compared), "\(far) of \(compared) weights differ by more than lr/10")
    }
}

/// Where Open MPI's launcher is, if installed.
enum OpenMPI {
    static let mpirun: String? = ["/usr/bin/mpirun", "/usr/local/bin/mpirun"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}
