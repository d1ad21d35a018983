import HarpOptim
import Testing

@Suite struct ScheduleTests {
    static func schedule(_ fixture: OptimFixtures.ScheduleCase) -> any LearningRateSchedule {
        switch fixture.kind {
        case "cosine":
            return CosineAnnealingSchedule(base: fixture.base, minimum: fixture.minimum, totalSteps: fixture.total,
                                           warmupSteps: fixture.warmup, warmupStartFactor: fixture.start_factor)
        default:
            return LinearWarmupSchedule(base: fixture.base, warmupSteps: fixture.warmup, startFactor: fixture.start_factor)
        }
    }

    @Test(arguments: OptimFixtures.scheduleCases.indices)
    func matchesTorchSchedulers(index: Int) {
        let fixture = OptimFixtures.scheduleCases[index]
        let schedule = Self.schedule(fixture)
        for (step, expected) in fixture.values.enumerated() {
            // torch steps its schedulers recursively; the closed forms agree to rounding.
            #expect(abs(schedule.learningRate(at: step) - expected) <= 1e-12 + 1e-9 * expected, "step \(step)")
        }
    }

    @Test func constantIsConstant() {
        #expect((0..<5).map { ConstantSchedule(3e-4).learningRate(at: $0) } == Array(repeating: 3e-4, count: 5))
    }
}
