import Testing
import MediaCore
import TestSupport

/// Where pauses, resumes and ends fall on the timeline: by arrival time, whichever of the packet and the
/// control plane's edge reaches the capture thread first (issue 13 §1).
@Suite("Reassembly: pause, resume and end edges by arrival time")
struct ReassemblerEdgeTests {
    /// 20 ms packets from timestamp 0 arriving at exactly their timeline place: packet i at i × 20 ms.
    static let packetNanos: Int64 = 20_000_000

    private func packet(_ index: Int, payloadType: UInt8 = 0) -> [UInt8] {
        RTPPacketBuilder(payloadType: payloadType, sequenceNumber: UInt16(1_000 + index), timestamp: UInt32(index * 160),
                         ssrc: 0xED6E, payload: codes(index)).build()
    }

    private func codes(_ index: Int) -> [UInt8] { SignalGenerator.noise(count: 160, seed: UInt64(index) + 4_242) }

    private func arrival(_ index: Int) -> Int64 { Int64(index) * Self.packetNanos }

    /// The timeline when the packets in `recorded` are kept and every other one is silence.
    private func expected(length: Int, recorded: some Sequence<Int>) -> [Int16] {
        var timeline = [Int16](repeating: 0, count: length)
        for i in recorded {
            timeline.replaceSubrange((i * 160)..<((i + 1) * 160), with: G711Reference.decode(codes(i), .pcmu))
        }
        return timeline
    }

    @Test("The last packet before a pause 0.1 ms later is kept whole, whether the pause or the packet reaches the capture thread first",
          arguments: [true, false])
    func pauseJustAfterTheLastPacket(edgeFirst: Bool) {
        let harness = ReassemblyHarness()
        for i in 0..<49 { harness.receive(packet(i), atNanos: arrival(i)) }
        let pauseAt = arrival(48) + 100_000
        // Packet 48 arrived 0.1 ms before the re-INVITE was read; the capture thread may see it later
        // (a pcap block not yet retired).
        if edgeFirst { harness.schedule(accepting: false, atNanos: pauseAt) }
        harness.receive(packet(48), atNanos: arrival(48))
        if !edgeFirst { harness.schedule(accepting: false, atNanos: pauseAt) }
        // The SRC goes on sending (a REST-style pause): none of it is recorded.
        for i in 49..<80 { harness.receive(packet(i), atNanos: arrival(i)) }
        let timeline = harness.end(atNanos: arrival(80))
        #expect(firstDifference(timeline, expected(length: 80 * 160, recorded: 0..<49)) == nil)
        #expect(harness.statistics.discardedWhilePaused == 31)
    }

    @Test("A BYE read 0.1 ms after the last packet keeps that packet, and the recording ends where its audio ends")
    func byeJustAfterTheLastPacket() {
        let harness = ReassemblyHarness()
        for i in 0..<50 { harness.receive(packet(i), atNanos: arrival(i)) }
        let timeline = harness.end(atNanos: arrival(49) + 100_000)
        #expect(timeline.count == 50 * 160)
        #expect(firstDifference(timeline, expected(length: 50 * 160, recorded: 0..<50)) == nil)
    }

    @Test("What arrives after the BYE was read is not recorded, even if the capture thread handles it before closing")
    func packetsAfterTheEndAreNotRecorded() {
        let harness = ReassemblyHarness()
        for i in 0..<40 { harness.receive(packet(i), atNanos: arrival(i)) }
        // Read 5 ms after packet 39; packets 40 and 41 were already in flight and are delivered before
        // the capture thread closes the stream.
        let byeAt = arrival(39) + 5_000_000
        harness.schedule(accepting: false, atNanos: byeAt)
        harness.receive(packet(40), atNanos: arrival(40))
        harness.receive(packet(41), atNanos: arrival(41))
        let timeline = harness.end(atNanos: byeAt)
        #expect(timeline.count == 40 * 160)
        #expect(firstDifference(timeline, expected(length: 40 * 160, recorded: 0..<40)) == nil)
    }

    @Test("A REST pause between two packets and a resume between two later ones cut at packet boundaries")
    func restPauseBetweenPackets() {
        let harness = ReassemblyHarness()
        var schedule: [(at: Int64, accepting: Bool)] = [(arrival(20) + 10_000_000, false), (arrival(45) + 10_000_000, true)]
        for i in 0..<70 {
            while let next = schedule.first, next.at <= arrival(i) {
                harness.schedule(accepting: next.accepting, atNanos: next.at)
                schedule.removeFirst()
            }
            harness.receive(packet(i), atNanos: arrival(i))
        }
        let timeline = harness.end(atNanos: arrival(70))
        #expect(firstDifference(timeline, expected(length: 70 * 160, recorded: Array(0...20) + Array(46..<70))) == nil)
        #expect(harness.statistics.discardedWhilePaused == 25)
    }

    @Test("A pause that reaches the capture thread after packets that arrived after it still silences them")
    func latePauseSilencesWhatArrivedAfterIt() {
        let harness = ReassemblyHarness()
        for i in 0..<36 { harness.receive(packet(i), atNanos: arrival(i)) }
        // The control loop was slow: packets 31–35 arrived after the pause (stamped 1 ms after packet 30)
        // but were handled before it reached the capture thread.
        harness.schedule(accepting: false, atNanos: arrival(30) + 1_000_000)
        for i in 36..<60 { harness.receive(packet(i), atNanos: arrival(i)) }
        let timeline = harness.end(atNanos: arrival(60))
        #expect(firstDifference(timeline, expected(length: 60 * 160, recorded: 0...30)) == nil)
        #expect(harness.statistics.discardedWhilePaused == 29)
    }

    @Test("A resume that reaches the capture thread late still records what arrived after it")
    func lateResumeRecordsWhatArrivedAfterIt() {
        let harness = ReassemblyHarness()
        for i in 0..<10 { harness.receive(packet(i), atNanos: arrival(i)) }
        harness.schedule(accepting: false, atNanos: arrival(9) + 1_000_000)
        for i in 10..<30 { harness.receive(packet(i), atNanos: arrival(i)) }
        harness.schedule(accepting: true, atNanos: arrival(24) + 1_000_000)
        for i in 30..<40 { harness.receive(packet(i), atNanos: arrival(i)) }
        let timeline = harness.end(atNanos: arrival(40))
        #expect(firstDifference(timeline, expected(length: 40 * 160, recorded: Array(0..<10) + Array(25..<40))) == nil)
        #expect(harness.statistics.discardedWhilePaused == 15)
    }

    @Test("A packet sent before the pause but reordered to arrive after it keeps its samples before the edge")
    func reorderedStragglerBeforeThePauseIsKept() {
        let harness = ReassemblyHarness()
        for i in 0..<20 { harness.receive(packet(i), atNanos: arrival(i)) }
        // Packet 21 overtakes packet 20; the pause falls between them; packet 22 comes after it.
        harness.receive(packet(21), atNanos: arrival(21))
        harness.schedule(accepting: false, atNanos: arrival(21) + 500_000)
        harness.receive(packet(20), atNanos: arrival(21) + 1_000_000)
        harness.receive(packet(22), atNanos: arrival(22))
        let timeline = harness.end(atNanos: arrival(23))
        #expect(firstDifference(timeline, expected(length: 23 * 160, recorded: 0...21)) == nil)
    }

    @Test("A recording whose every packet arrived after a pause has no first sample")
    func firstSampleOnlyFromRecordedAudio() {
        let harness = ReassemblyHarness()
        harness.schedule(accepting: false, atNanos: 1_000)
        for i in 0..<5 { harness.receive(packet(i), atNanos: arrival(i) + 2_000) }
        harness.end(atNanos: arrival(5))
        #expect(harness.statistics.firstPosition == nil)
        #expect(harness.statistics.discardedWhilePaused == 5)
    }

    @Test("A digit keyed during a pause is not kept, not even its packets after the resume")
    func dtmfDuringAPauseIsNotKept() {
        let harness = ReassemblyHarness()
        for i in 0..<10 { harness.receive(packet(i), atNanos: arrival(i)) }
        harness.schedule(accepting: false, atNanos: arrival(9) + 1_000_000)
        let eventTimestamp = UInt32(10 * 160)
        for k in 0..<6 {
            let bytes = RTPPacketBuilder(payloadType: 101, sequenceNumber: UInt16(1_010 + k), timestamp: eventTimestamp, ssrc: 0xED6E,
                                         payload: RTPPacketBuilder.telephoneEvent(7, end: k == 5, duration: UInt16((k + 1) * 160))).build()
            if k == 3 { harness.schedule(accepting: true, atNanos: arrival(10 + k) - 1_000_000) }
            harness.receive(bytes, atNanos: arrival(10 + k))
        }
        harness.end(atNanos: arrival(20))
        #expect(harness.reassembler.dtmf.events.isEmpty)
    }

    @Test("Edges stamped in the past apply at once, edges in the future wait for their time")
    func edgesWaitForTheirTime() {
        var gate = AdmissionGate(accepting: true)
        _ = gate.schedule(.init(nanos: 5_000, position: 0, accepting: false))
        #expect(gate.accepting)
        #expect(gate.pendingCount == 1)
        #expect(gate.apply(through: 4_999) == nil)
        #expect(gate.apply(through: 5_000) != nil)
        #expect(!gate.accepting)
        #expect(gate.silentFrom == 0)
        // An edge stamped before the last one applied (a REST request read earlier, queued later).
        _ = gate.schedule(.init(nanos: 1_000, position: 0, accepting: true))
        #expect(gate.accepting)
    }
}
