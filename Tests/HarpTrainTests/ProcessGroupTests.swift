import Foundation
import HarpTensor
import Testing
@testable import HarpTrain

/// The data-parallel algebra on top of `sumInPlace`, checked with processes simulated by threads
/// of this test: averaged gradients are the whole batch's mean, gathered rows are the shards in
/// rank order, averaged losses and the stop flag agree everywhere.
struct ProcessGroupTests {
    /// Runs `body(group)` on `size` threads, each with its own member of one simulated group.
    private func onEveryProcess(size: Int, _ body: @escaping @Sendable (ThreadProcessGroup) -> Void) {
        // One thread per member, all at once: members block in `sum` until every one has
        // arrived, so a pool with fewer threads than members would wait forever.
        let hub = SumHub(size: size)
        let done = DispatchGroup()
        for rank in 0..<size {
            done.enter()
            Thread {
                body(ThreadProcessGroup(rank: rank, hub: hub))
                done.leave()
            }.start()
        }
        done.wait()
    }

    @Test func averagedGradientsAreTheMeanOverProcessesAndSkipMissingOnes() {
        let results = Results()
        onEveryProcess(size: 3) { group in
            let a = Tensor(shape: [2], values: [1, 2], requiresGradient: true)
            let b = Tensor(shape: [1], values: [0], requiresGradient: true)
            let c = Tensor(shape: [3], values: [0, 0, 0], requiresGradient: true)
            let r = Float(group.rank)
            a.grad = Tensor(shape: [2], values: [r, 10 * r])
            c.grad = Tensor(shape: [3], values: [1, r * r, -r])
            group.averageGradients(of: [a, b, c])
            results.append(group.rank, a.grad!.scalars + c.grad!.scalars + [b.grad == nil ? 1 : 0])
        }
        // Ranks 0, 1, 2: mean r = 1, mean r² = 5/3.
        for rank in 0..<3 {
            #expect(results[rank] == [1, 10, 1, 5 * (1 / Float(3)), -1, 1])  // the sum times 1/size
        }
    }

    @Test func gatheredRowsAreTheShardsInRankOrder() {
        let results = Results()
        onEveryProcess(size: 2) { group in
            let r = Float(group.rank)
            let rows = Tensor(shape: [2, 3], values: (0..<6).map { Float($0) + 100 * r })
            let all = group.gatherRows(rows)
            results.append(group.rank, all.shape.map(Float.init) + all.scalars)
        }
        let expected = [4, 3] + (0..<6).map { Float($0) } + (0..<6).map { Float($0) + 100 }
        #expect(results[0] == expected && results[1] == expected)
    }

    @Test func lossesAndTheStopFlagAgreeOnEveryProcess() {
        let results = Results()
        onEveryProcess(size: 4) { group in
            let r = Float(group.rank)
            let averaged = group.averaged(StepResult(losses: ["mel": r, "total": 2 * r + 1]))
            let anyStops = group.anyProcess(group.rank == 2)
            let noneStops = group.anyProcess(false)
            results.append(group.rank, [averaged.losses["mel"]!, averaged.losses["total"]!,
                                        anyStops ? 1 : 0, noneStops ? 1 : 0])
        }
        for rank in 0..<4 { #expect(results[rank] == [1.5, 4, 1, 0]) }
    }
}

/// Where simulated processes meet: each call of `sum` blocks until every member has contributed,
/// then hands each the total (the semantics of MPI_Allreduce with MPI_SUM).
private final class SumHub: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var total: [Float] = []
    private var arrived = 0
    private var departed = 0
    private var generation = 0

    init(size: Int) { self.size = size }

    func sum(_ values: [Float]) -> [Float] {
        condition.lock()
        defer { condition.unlock() }
        while departed > 0 { condition.wait() }  // the previous round is still being collected
        if arrived == 0 { total = [Float](repeating: 0, count: values.count) }
        precondition(total.count == values.count, "members disagree on the count")
        // Adding in rank-independent arrival order is fine here: the tests use exact values.
        for i in values.indices { total[i] += values[i] }
        arrived += 1
        let round = generation
        if arrived == size {
            generation += 1
            departed = size
            arrived = 0
            condition.broadcast()
        } else {
            while generation == round { condition.wait() }
        }
        let result = total
        departed -= 1
        if departed == 0 { condition.broadcast() }
        return result
    }
}

private final class ThreadProcessGroup: ProcessGroup {
    let rank: Int
    let hub: SumHub
    var size: Int { hub.size }
    init(rank: Int, hub: SumHub) { self.rank = rank; self.hub = hub }
    func sumInPlace(_ values: inout [Float]) { values = hub.sum(values) }
}

/// Per-rank results collected across threads.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: [Float]] = [:]
    func append(_ rank: Int, _ row: [Float]) { lock.withLock { values[rank] = row } }
    subscript(rank: Int) -> [Float] { lock.withLock { values[rank] ?? [] } }
}
