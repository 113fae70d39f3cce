import Testing
import Wire
@testable import Pipeline

@Suite struct SourceLatchTests {
    let sbc = EndpointKey(address: "192.0.2.10", port: 30000)!
    let stray = EndpointKey(address: "198.51.100.7", port: 5004)!
    let ms: Int64 = 1_000_000

    @Test func firstSenderIsLatchedAndAnotherIsForeignWhileItIsActive() {
        var latch = SourceLatch()
        #expect(latch.admit(sbc, nowNanos: 0) == .latched)
        for t in stride(from: Int64(10), through: 2000, by: 20) {
            #expect(latch.admit(stray, nowNanos: t * ms) == .foreign)
            #expect(latch.admit(sbc, nowNanos: (t + 10) * ms) == .latched)
        }
    }

    @Test func anotherPortOnTheSameAddressIsAnotherSender() {
        var latch = SourceLatch()
        _ = latch.admit(sbc, nowNanos: 0)
        let otherPort = EndpointKey(address: "192.0.2.10", port: 30002)!
        #expect(latch.admit(otherPort, nowNanos: 20 * ms) == .foreign)
    }

    @Test func newSenderTakesOverAfterHalfASecondOfQuiet() {
        var latch = SourceLatch()
        _ = latch.admit(sbc, nowNanos: 0)
        _ = latch.admit(sbc, nowNanos: 1000 * ms)
        #expect(latch.admit(stray, nowNanos: 1499 * ms) == .foreign)
        #expect(latch.admit(stray, nowNanos: 1500 * ms) == .relatched)
        #expect(latch.admit(stray, nowNanos: 1520 * ms) == .latched)
        // The old sender is now the foreign one until the new one goes quiet in turn.
        #expect(latch.admit(sbc, nowNanos: 1540 * ms) == .foreign)
        #expect(latch.admit(sbc, nowNanos: 2020 * ms) == .relatched)
    }

    @Test func aRenegotiationLetsTheNextSenderTakeOverAtOnce() {
        var latch = SourceLatch()
        _ = latch.admit(sbc, nowNanos: 0)
        latch.reopen()
        #expect(latch.admit(stray, nowNanos: 20 * ms) == .relatched)     // the media moved with the re-INVITE
        #expect(latch.admit(sbc, nowNanos: 40 * ms) == .foreign)
        latch.reopen()
        #expect(latch.admit(stray, nowNanos: 60 * ms) == .latched)        // it did not move: the choice closes again
        #expect(latch.admit(sbc, nowNanos: 80 * ms) == .foreign)
    }
}
