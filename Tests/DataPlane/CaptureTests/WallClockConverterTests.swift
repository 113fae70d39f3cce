import Testing
@testable import Capture

@Suite("Packet time stamps across wall-clock steps")
struct WallClockConverterTests {
    let second: Int64 = 1_000_000_000
    // Monotonic 1,000 s; the wall clock read 1,700,000,000 s then.
    var now: Int64 { 1_000 * second }
    var wallBefore: Int64 { 1_700_000_000 * second - 1_000 * second }   // offset before the step

    @Test("a steady clock maps through the current offset")
    func steady() {
        let clock = WallClockConverter(offset: wallBefore, previousOffset: wallBefore)
        #expect(clock.arrival(wallNanos: wallBefore + now - 5_000_000, nowNanos: now) == now - 5_000_000)
    }

    @Test("two hours forward: packets stamped before the step keep their time, packets after it too",
          arguments: [7_200, -10_800])
    func stepped(seconds: Int64) {
        let wallAfter = wallBefore + seconds * second
        let clock = WallClockConverter(offset: wallAfter, previousOffset: wallBefore)
        let early = now - 8_000_000, late = now - 2_000_000     // arrived 8 ms and 2 ms before this pass
        #expect(clock.arrival(wallNanos: wallBefore + early, nowNanos: now) == early)   // stamped before the step
        #expect(clock.arrival(wallNanos: wallAfter + late, nowNanos: now) == late)      // stamped after it
    }

    @Test("a stamp that fits neither offset is taken as arriving now")
    func implausible() {
        let clock = WallClockConverter(offset: wallBefore, previousOffset: wallBefore)
        #expect(clock.arrival(wallNanos: wallBefore + now + 3_600 * second, nowNanos: now) == now)
        #expect(clock.arrival(wallNanos: wallBefore + now - 3_600 * second, nowNanos: now) == now)
    }
}
