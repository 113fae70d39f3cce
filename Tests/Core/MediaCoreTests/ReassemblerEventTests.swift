import Testing
import MediaCore
import TestSupport

@Suite("Reassembly: DTMF, comfort noise and pauses")
struct ReassemblerEventTests {
    /// Audio packet `index` of a simple stream (seq and ts from 0, 160 samples per packet).
    private func audio(_ index: Int, sequence: Int, codes: [UInt8]) -> [UInt8] {
        RTPPacketBuilder(payloadType: 0, sequenceNumber: UInt16(sequence), timestamp: UInt32(index * 160),
                         ssrc: 0xD7F0, payload: codes).build()
    }

    private func codes(_ index: Int) -> [UInt8] { SignalGenerator.noise(count: 160, seed: UInt64(index) + 77) }

    @Test("A telephone-event becomes one DTMF digit with its position and duration, and no audio")
    func dtmf() {
        let harness = ReassemblyHarness()
        let base: Int64 = 800
        var expected = [Int16](repeating: 0, count: Int(base) + 30 * 160)
        var sequence = 0
        for i in 0..<10 {
            harness.receive(audio(i, sequence: sequence, codes: codes(i)), at: base + Int64(i * 160)); sequence += 1
            expected.replaceSubrange((Int(base) + i * 160)..<(Int(base) + (i + 1) * 160), with: G711Reference.decode(codes(i), .pcmu))
        }
        // Digit 5 from packet 10's time: updates every 20 ms, then the end packet three times.
        let eventStart: UInt32 = 10 * 160
        for k in 0..<7 {
            let bytes = RTPPacketBuilder(payloadType: 101, sequenceNumber: UInt16(sequence), timestamp: eventStart, ssrc: 0xD7F0,
                                         marker: k == 0, payload: RTPPacketBuilder.telephoneEvent(5, end: false, duration: UInt16((k + 1) * 160))).build()
            harness.receive(bytes, at: base + Int64((10 + k) * 160)); sequence += 1
        }
        for k in 0..<3 {
            let bytes = RTPPacketBuilder(payloadType: 101, sequenceNumber: UInt16(sequence), timestamp: eventStart, ssrc: 0xD7F0,
                                         payload: RTPPacketBuilder.telephoneEvent(5, end: true, duration: 1_200)).build()
            harness.receive(bytes, at: base + Int64((17 + k) * 160)); sequence += 1
        }
        for i in 20..<30 {
            harness.receive(audio(i, sequence: sequence, codes: codes(i)), at: base + Int64(i * 160)); sequence += 1
            expected.replaceSubrange((Int(base) + i * 160)..<(Int(base) + (i + 1) * 160), with: G711Reference.decode(codes(i), .pcmu))
        }
        let timeline = harness.close(at: Int64(expected.count))
        #expect(firstDifference(timeline, expected) == nil)
        let events = harness.reassembler.dtmf.events
        #expect(events.count == 1)
        #expect(events.first?.event == 5)
        #expect(events.first?.position == base + 1_600)
        #expect(events.first?.duration == 1_200)
        #expect(events.first?.symbol == "5")
        #expect(harness.statistics.lost == 0)
    }

    @Test("Two different digits in a row are two events")
    func twoDigits() {
        let harness = ReassemblyHarness()
        harness.receive(audio(0, sequence: 0, codes: codes(0)), at: 0)
        for (n, digit) in [UInt8(11), 10].enumerated() {
            for k in 0..<3 {
                let bytes = RTPPacketBuilder(payloadType: 101, sequenceNumber: UInt16(1 + n * 3 + k), timestamp: UInt32(160 + n * 800),
                                             ssrc: 0xD7F0, payload: RTPPacketBuilder.telephoneEvent(digit, end: k == 2, duration: 480)).build()
                harness.receive(bytes, at: Int64(160 + n * 800 + k * 160))
            }
        }
        harness.close(at: 4_000)
        #expect(harness.reassembler.dtmf.events.map(\.symbol) == ["#", "*"])
        #expect(harness.reassembler.dtmf.events.map(\.position) == [160, 960])
    }

    @Test("A stream keeps its first 64 DTMF events and counts the rest")
    func dtmfBeyondCapacity() {
        let harness = ReassemblyHarness()
        harness.receive(audio(0, sequence: 0, codes: codes(0)), at: 0)
        // 70 digits, one 480-sample event every 800 samples, each sent three times (the last as the end).
        for n in 0..<70 {
            for k in 0..<3 {
                let bytes = RTPPacketBuilder(payloadType: 101, sequenceNumber: UInt16(1 + n * 3 + k), timestamp: UInt32(160 + n * 800),
                                             ssrc: 0xD7F0, payload: RTPPacketBuilder.telephoneEvent(UInt8(n % 10), end: k == 2, duration: 480)).build()
                harness.receive(bytes, at: Int64(160 + n * 800 + k * 160))
            }
        }
        harness.close(at: 60_000)
        let events = harness.reassembler.dtmf.events
        #expect(events.count == 64)
        #expect(events.map(\.symbol) == (0..<64).map { String($0 % 10) })
        #expect(events.last?.position == Int64(160 + 63 * 800))
        #expect(harness.reassembler.dtmf.droppedEvents == 6)
    }

    @Test("Comfort-noise packets write nothing: the recording is silent until audio resumes")
    func comfortNoise() {
        let harness = ReassemblyHarness()
        var expected = [Int16](repeating: 0, count: 30 * 160)
        for i in 0..<10 {
            harness.receive(audio(i, sequence: i, codes: codes(i)), at: Int64(i * 160))
            expected.replaceSubrange((i * 160)..<((i + 1) * 160), with: G711Reference.decode(codes(i), .pcmu))
        }
        let cn = RTPPacketBuilder(payloadType: 13, sequenceNumber: 10, timestamp: 1_600, ssrc: 0xD7F0, payload: [40]).build()
        harness.receive(cn, at: 1_600)
        for i in 20..<30 {
            harness.receive(audio(i, sequence: i - 9, codes: codes(i)), at: Int64(i * 160))
            expected.replaceSubrange((i * 160)..<((i + 1) * 160), with: G711Reference.decode(codes(i), .pcmu))
        }
        let timeline = harness.close(at: Int64(expected.count))
        #expect(firstDifference(timeline, expected) == nil)
        #expect(harness.statistics.comfortNoise == 1)
        #expect(harness.statistics.lost == 0)
    }

    @Test("Packets received while paused are counted and discarded, and the timeline keeps running as silence")
    func paused() {
        let script = RTPStreamScript(packetCount: 60)
        let harness = ReassemblyHarness()
        let timeline = harness.run(script.datagrams(), closeAt: script.end) { datagram in
            if datagram.index == 10 || datagram.index == 30 { harness.schedule(accepting: datagram.index == 30, at: datagram.arrival) }
        }
        #expect(firstDifference(timeline, script.expectedTimeline(length: script.end, excluding: Set(10..<30))) == nil)
        #expect(timeline[1_600..<4_800].allSatisfy { $0 == 0 })
        #expect(harness.statistics.discardedWhilePaused == 20)
        #expect(harness.statistics.packets == 60)
        // What was discarded on purpose was received, so it is not network loss.
        #expect(harness.statistics.lost == 0)
    }
}
