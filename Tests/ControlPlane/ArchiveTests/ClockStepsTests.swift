import Testing
@testable import Archive

@Suite struct ClockStepsTests {
    let hour: Int64 = 3_600_000

    @Test func aForwardStepIsAddedToTheRetentionForOneRetentionPeriod() {
        var steps = ClockSteps()
        steps.observe(wallMillis: 1_000_000, monotonicMillis: 10)
        steps.observe(wallMillis: 1_001_000 + 500, monotonicMillis: 1_010)         // 0.5 s of slewing: not a step
        #expect(steps.allowance(retentionMillis: hour, monotonicMillis: 1_010) == 0)
        steps.observe(wallMillis: 1_002_500 + 2 * hour, monotonicMillis: 2_010)    // NTP: two hours forward
        #expect(steps.allowance(retentionMillis: hour, monotonicMillis: 2_010) == 2 * hour)
        #expect(steps.allowance(retentionMillis: hour, monotonicMillis: 2_010 + hour - 1) == 2 * hour)
        #expect(steps.allowance(retentionMillis: hour, monotonicMillis: 2_010 + hour) == 0)
        #expect(steps.steps.isEmpty)
    }

    @Test func aBackwardStepKeepsRecordingsLongerByItselfAndAddsNothing() {
        var steps = ClockSteps()
        steps.observe(wallMillis: 10 * hour, monotonicMillis: 0)
        steps.observe(wallMillis: 7 * hour + 1_000, monotonicMillis: 1_000)
        #expect(steps.allowance(retentionMillis: hour, monotonicMillis: 1_000) == 0)
    }
}
