import Testing
import MediaCore
import TestSupport

/// Plays a script through a fresh harness and returns what the recording holds and the counters.
func play(_ script: RTPStreamScript, tail: Int64 = 800, timing: ReassemblyTiming = ReassemblyTiming())
    -> (timeline: [Int16], expectedLength: Int64, stats: StreamStatistics, harness: ReassemblyHarness) {
    let payloads = StreamPayloads(audioPayloadType: script.payloadType, codec: script.codec, telephoneEventPayloadType: 101)
    let harness = ReassemblyHarness(payloads: payloads, timing: timing)
    let end = script.end + tail
    let timeline = harness.run(script.datagrams(), closeAt: end)
    return (timeline, end, harness.statistics, harness)
}

@Suite("Reassembly: order, loss and duplicates")
struct ReassemblerOrderingTests {
    @Test("An in-order stream is recorded bit-exact at its arrival position",
          arguments: [(AudioCodec.pcmu, UInt8(0)), (AudioCodec.pcma, UInt8(8))])
    func inOrder(_ codec: AudioCodec, _ payloadType: UInt8) {
        var script = RTPStreamScript(packetCount: 200)
        script.codec = codec
        script.payloadType = payloadType
        script.firstArrival = 4_000
        let result = play(script)
        #expect(firstDifference(result.timeline, script.expectedTimeline(length: result.expectedLength)) == nil)
        #expect(result.stats.packets == 200)
        #expect(result.stats.lost == 0 && result.stats.late == 0 && result.stats.duplicates == 0)
        #expect(result.stats.firstPosition == 4_000)
        #expect(result.stats.firstSSRC == script.ssrc)
    }

    @Test("Packets reordered inside the window are put back in place and count no loss")
    func reorderedInsideWindow() {
        var script = RTPStreamScript(packetCount: 300)
        script.firstArrival = 800
        for i in [10, 12, 50, 120, 298] { script.swapPair(at: i) }
        script.delayed[150] = 5
        script.delayed[200] = 9
        script.jitter = 120
        let result = play(script)
        #expect(firstDifference(result.timeline, script.expectedTimeline(length: result.expectedLength)) == nil)
        #expect(result.stats.lost == 0)
        #expect(result.stats.late == 0)
        #expect(result.stats.resynchronisations == 0)
    }

    @Test("Lost packets become exact silence of their length at their place and are counted")
    func lostPackets() {
        var script = RTPStreamScript(packetCount: 200)
        script.lost = [3, 4, 77, 150]
        let result = play(script)
        let expected = script.expectedTimeline(length: result.expectedLength)
        #expect(firstDifference(result.timeline, expected) == nil)
        #expect(result.timeline[(3 * 160)..<(5 * 160)].allSatisfy { $0 == 0 })
        #expect(result.timeline[(77 * 160)..<(78 * 160)].allSatisfy { $0 == 0 })
        #expect(result.stats.lost == 4)
        #expect(result.stats.packets == 196)
    }

    @Test("Duplicated packets are recorded once and counted as duplicates")
    func duplicates() {
        var script = RTPStreamScript(packetCount: 200)
        script.duplicated = [0, 5, 6, 120]
        let result = play(script)
        #expect(firstDifference(result.timeline, script.expectedTimeline(length: result.expectedLength)) == nil)
        #expect(result.stats.duplicates == 4)
        #expect(result.stats.packets == 204)
        #expect(result.stats.lost == 0)
    }

    @Test("Many laps of a small ring keep duplicate detection exact (no stale marks drop fresh audio)",
          arguments: [160, 240, 80])
    func smallRingLaps(samplesPerPacket: Int) {
        var script = RTPStreamScript(packetCount: 600)
        script.samplesPerPacket = samplesPerPacket
        script.firstArrival = 37
        script.duplicated = Set(stride(from: 3, to: 600, by: 7))
        for i in stride(from: 5, to: 590, by: 11) { script.swapPair(at: i) }
        let result = play(script, timing: ReassemblyTiming(ringCapacity: 16_384))
        #expect(firstDifference(result.timeline, script.expectedTimeline(length: result.expectedLength)) == nil)
        #expect(result.stats.duplicates == Int64(script.duplicated.count))
        #expect(result.stats.lost == 0 && result.stats.late == 0 && result.stats.overflows == 0)
    }

    @Test("A 16-bit sequence wrap and a 32-bit timestamp wrap mid-stream are seamless, even with reordering")
    func wraps() {
        var script = RTPStreamScript(packetCount: 200)
        script.startSequence = 65_535 - 99          // packet 100 wraps to 0
        script.startTimestamp = UInt32.max - 160 * 60 + 1  // packet 60 wraps to 0
        script.swapPair(at: 99)   // straddles the sequence wrap
        script.swapPair(at: 59)   // straddles the timestamp wrap
        script.jitter = 60
        let result = play(script)
        #expect(script.header(of: 100).sequence == 0 && script.header(of: 60).timestamp == 0)
        #expect(firstDifference(result.timeline, script.expectedTimeline(length: result.expectedLength)) == nil)
        #expect(result.stats.lost == 0)
        #expect(result.stats.resynchronisations == 0)
    }

    @Test("Malformed datagrams and unknown payload types are counted and never heard")
    func junk() {
        let script = RTPStreamScript(packetCount: 40)
        let harness = ReassemblyHarness()
        for datagram in script.datagrams() {
            harness.receive(datagram.bytes, at: datagram.arrival)
            if datagram.index == 20 {
                harness.receive([0x80, 0x00, 0x01], at: datagram.arrival)
                harness.receive(RTPPacketBuilder(payloadType: 96, sequenceNumber: 5, timestamp: 9, ssrc: script.ssrc,
                                                 payload: [UInt8](repeating: 0x00, count: 160)).build(), at: datagram.arrival)
            }
        }
        let timeline = harness.close(at: script.end)
        #expect(firstDifference(timeline, script.expectedTimeline(length: script.end)) == nil)
        #expect(harness.statistics.malformed == 1)
        #expect(harness.statistics.unknownPayload == 1)
    }
}
