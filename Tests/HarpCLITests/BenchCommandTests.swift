import Foundation
import Testing

/// `harp bench engine` prints one JSON object with Harp's figures, and says why the PyTorch side
/// is missing when it cannot run, instead of failing.
@Suite(.enabled(if: HarpBinary.path != nil, "skipped: build the harp executable first (swift build)"))
struct BenchCommandTests {
    func cases(_ run: HarpBinary.Run) throws -> (report: [String: Any], cases: [String: [String: Any]]) {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let cases = try #require(report["cases"] as? [String: [String: Any]])
        return (report, cases)
    }

    @Test func engineBenchPrintsTheFilteredCasesAsJSON() throws {
        let run = try HarpBinary.run(["bench", "engine", "--filter", "tiny add", "--repeats", "2", "--no-reference"])
        #expect(run.status == 0)
        let (report, cases) = try cases(run)
        #expect(Set(cases.keys) == ["tiny add [4] per op", "tiny add [4] per op, recording gradients"])
        for figures in cases.values {
            #expect((figures["harp_seconds"] as? Double).map { $0 > 0 && $0 < 1 } == true)
            #expect(figures["repeats"] as? Int == 2)
            #expect(figures["ratio"] == nil)
        }
        #expect(report["pytorch_skipped"] as? String == "--no-reference")
        #expect(report["threads"] as? Int == 2)
    }

    @Test func aMissingReferenceIsReportedNotFatal() throws {
        let run = try HarpBinary.run(["bench", "engine", "--filter", "tiny add [4] per op,", "--repeats", "1",
                                      "--python", "/nonexistent/python3"])
        #expect(run.status == 0)
        let (report, cases) = try cases(run)
        #expect(cases.count == 1)
        #expect((report["pytorch_skipped"] as? String)?.isEmpty == false)
        #expect(report["pytorch"] == nil && report["cases_below_parity"] == nil)
    }

    @Test func badOptionsAreOneLineAndAUsageExit() throws {
        let run = try HarpBinary.run(["bench", "engine", "--threads", "0"])
        #expect(run.status == 64)
        #expect(run.errorLines.first == "Error: --threads must be in 1...256")
        let unknown = try HarpBinary.run(["bench", "engine", "--filter", "no such case", "--no-reference"])
        #expect(unknown.status == 64)
        #expect(unknown.errorLines.first == "Error: no case name contains 'no such case'")
    }
}
