import Testing
import MediaCore
import TestSupport

@Suite("Reassembly: SSRC changes, timestamp jumps, holds, late packets, a full ring")
struct ReassemblerDiscontinuityTests {
    @Test("A new SSRC continues the timeline with no overlap, and leaves only the silence the network left",
          arguments: [Int64(0), 8_000])
    func ssrcChange(arrivalGap: Int64) {
        var script = RTPStreamScript(packetCount: 150)
        script.firstArrival = 1_600
        script.ssrcChange = .init(index: 60, ssrc: 0xBEEF_0002, sequence: 7, timestamp: 999)
        if arrivalGap > 0 { script.gaps = [.init(before: 60, samples: arrivalGap)] }
        let result = play(script)
        #expect(firstDifference(result.timeline, script.expectedTimeline(length: result.expectedLength)) == nil)
        #expect(result.stats.ssrcChanges == 1)
        #expect(result.stats.lost == 0)
        #expect(result.stats.late == 0)
    }

    @Test("A new SSRC arriving a few milliseconds after the old stream's end is joined to it without a gap")
    func ssrcChangeJoined() {
        var script = RTPStreamScript(packetCount: 150)
        script.ssrcChange = .init(index: 60, ssrc: 0xBEEF_0002, sequence: 40_000, timestamp: 0xFFFF_FF00)
        script.gaps = [.init(before: 60, samples: 40)]  // 5 ms: within the reorder window, so treated as jitter
        let result = play(script)
        var joined = script
        joined.gaps = []
        #expect(firstDifference(result.timeline, joined.expectedTimeline(length: result.expectedLength)) == nil)
        #expect(result.stats.ssrcChanges == 1)
    }

    @Test("A last packet of the old SSRC arriving just after the new SSRC's first one is still heard in order")
    func stragglerAcrossSSRCChange() {
        var script = RTPStreamScript(packetCount: 150)
        script.ssrcChange = .init(index: 60, ssrc: 0xBEEF_0002, sequence: 7, timestamp: 999)
        script.swapPair(at: 59)  // packet 59 (old SSRC) arrives right after packet 60 (new SSRC)
        let result = play(script)
        #expect(firstDifference(result.timeline, script.expectedTimeline(length: result.expectedLength)) == nil)
        #expect(result.stats.ssrcChanges == 1)
    }

    @Test("A small backward timestamp step (under the jump threshold) never overwrites audio already placed")
    func smallBackwardStep() {
        var script = RTPStreamScript(packetCount: 150)
        script.timestampJumps = [50: -1_000]  // 125 ms back: treated as jitter, not a discontinuity
        let result = play(script)
        let stepAt = Int(script.nominalPosition(of: 50))
        let expected = script.expectedTimeline(length: result.expectedLength)
        #expect(firstDifference(Array(result.timeline[0..<stepAt]), Array(expected[0..<stepAt])) == nil)
        // What comes after the step is all there is to hear: audio again within the step.
        let afterStep = stepAt + 1_000
        #expect(result.timeline[afterStep..<(afterStep + 160)].contains { $0 != 0 })
    }

    @Test("A timestamp jump without a matching arrival gap is resynchronised to arrival without overwriting audio",
          arguments: [Int64(80_000), -80_000, 2_000_000_000, -48_000])
    func timestampJump(jump: Int64) {
        var script = RTPStreamScript(packetCount: 150)
        script.timestampJumps = [50: jump]
        let result = play(script)
        #expect(firstDifference(result.timeline, script.expectedTimeline(length: result.expectedLength)) == nil)
        #expect(result.stats.resynchronisations == 1)
        #expect(result.stats.lost == 0)
        #expect(result.stats.late == 0)
        #expect(result.stats.duplicates == 0)
    }

    @Test("A ten-minute hold leaves exactly ten minutes of silence and the audio after it bit-exact",
          arguments: [true, false])
    func tenMinuteHold(senderClockRuns: Bool) {
        let tenMinutes: Int64 = 10 * 60 * 8_000
        var script = RTPStreamScript(packetCount: 100)
        script.gaps = [.init(before: 50, samples: tenMinutes, timestampFollows: senderClockRuns)]
        let result = play(script)
        let expected = script.expectedTimeline(length: result.expectedLength)
        #expect(result.timeline.count == expected.count)
        #expect(firstDifference(result.timeline, expected) == nil)
        let holdStart = Int(script.nominalPosition(of: 49)) + 160
        let holdEnd = Int(script.nominalPosition(of: 50))
        #expect(Int64(holdEnd - holdStart) == tenMinutes)
        if result.timeline.count >= holdEnd + 160 {
            #expect(result.timeline[holdStart..<holdEnd].allSatisfy { $0 == 0 })
            #expect(Array(result.timeline[holdEnd..<(holdEnd + 160)]) ==
                    G711Reference.decode(script.payload(of: 50), .pcmu))
        }
        #expect(result.stats.resynchronisations == (senderClockRuns ? 0 : 1))
        #expect(result.stats.lost == 0 && result.stats.late == 0)
    }

    @Test("A packet arriving after its place was handed to the encoder is counted late and not written",
          arguments: [30, 60])
    func latePacket(delayPackets: Int) {
        var script = RTPStreamScript(packetCount: 150)
        script.delayed[20] = delayPackets  // 30 packets = 600 ms (beyond the 200 ms window), 60 = 1.2 s (beyond the jump threshold)
        let result = play(script)
        #expect(firstDifference(result.timeline, script.expectedTimeline(length: result.expectedLength, excluding: [20])) == nil)
        #expect(result.stats.late == 1)
        #expect(result.stats.resynchronisations == 0)
    }

    @Test("A reorder window longer than the ring (10 s with the default 8 s ring) still records the whole call")
    func windowLongerThanRing() {
        let script = RTPStreamScript(packetCount: 700)  // 14 s
        let result = play(script, timing: ReassemblyTiming(reorderWindow: 80_000))
        #expect(firstDifference(result.timeline, script.expectedTimeline(length: result.expectedLength)) == nil)
        #expect(result.stats.overflows == 0)
    }

    @Test("A full ring drops packets as counted overflows, never grows, and recovers when the encoder catches up")
    func fullRing() {
        let capacity = 16_384
        var script = RTPStreamScript(packetCount: 300)
        let payloads = StreamPayloads(audioPayloadType: 0, codec: .pcmu)
        let harness = ReassemblyHarness(payloads: payloads, timing: ReassemblyTiming(ringCapacity: capacity))
        harness.draining = false
        script.firstArrival = 0
        let timeline = harness.run(script.datagrams(), closeAt: script.end) { datagram in
            if datagram.index == 200 { harness.draining = true; harness.drain() }
        }
        // With nobody reading, only the packets that fit in the ring are kept: 102 packets of 160 samples.
        let fitting = capacity / 160
        let dropped = Set(fitting..<200)
        #expect(harness.reassembler.ring.capacity == capacity)
        #expect(harness.statistics.overflows == Int64(dropped.count))
        #expect(firstDifference(timeline, script.expectedTimeline(length: script.end, excluding: dropped)) == nil)
        #expect(harness.statistics.lost == 0)
    }
}
