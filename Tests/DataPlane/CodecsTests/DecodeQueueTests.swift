import Synchronization
import Testing
@testable import Codecs
@testable import MediaCore
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// What the consumer thread read, handed back after `join`.
private final class Collected: @unchecked Sendable {
    var samples: [Int16] = []
}

@Suite("Decoding on the encoder lane (DecodeQueue)")
struct DecodeQueueTests {
    /// 20 ms G.729 packets of a 300 Hz tone.
    let g729 = { () -> [[UInt8]] in
        let frames = g729Frames(tone(8_000 * 6, frequency: 300))
        return stride(from: 0, to: frames.count - 1, by: 2).map { frames[$0] + frames[$0 + 1] }
    }()

    private func packet(_ index: Int, _ payload: [UInt8], payloadType: UInt8 = 18) -> [UInt8] {
        RTPPacketBuilder(payloadType: payloadType, sequenceNumber: UInt16(index), timestamp: 9_000 + UInt32(index) * 160,
                         payload: payload).build()
    }

    @Test("The capture thread only queues a codec's payloads; the consumer decodes them as it reads, bit for bit as bcg729")
    func consumerDecodes() {
        let table = StreamPayloads(audio: [(18, .g729)])
        let harness = ReassemblyHarness(payloads: table, decoders: StreamDecoders(for: table, factory: CodecLibraries()))
        harness.draining = false
        for index in 0..<100 { harness.receive(packet(index, g729[index]), at: 800 + Int64(index) * 160) }
        // Nothing has been read: every payload still waits for the consumer, the ring holds no audio yet.
        #expect(harness.reassembler.pendingDecodes == 100)
        let timeline = harness.close(at: 800 + 100 * 160 + 4_000)
        #expect(harness.reassembler.pendingDecodes == 0)
        #expect(Array(timeline[800..<(800 + 100 * 160)]) == reference(Array(g729[0..<100])))
        #expect(harness.statistics.overflows == 0 && harness.statistics.late == 0)
    }

    @Test("A pause whose span is released while its audio still waits to be decoded is silent: the silence runs after the decoding")
    func pauseAfterQueuedAudio() {
        let table = StreamPayloads(audio: [(18, .g729)])
        let harness = ReassemblyHarness(payloads: table, decoders: StreamDecoders(for: table, factory: CodecLibraries()))
        harness.draining = false
        // Packets 0–99 at 800 + 160 k, paused from packet 40 to packet 60: the spans are released (and
        // their silence queued) while the packets' decoding still waits in the queue.
        for index in 0..<100 {
            if index == 40 { harness.schedule(accepting: false, atNanos: (800 + 40 * 160) * 125_000) }
            if index == 60 { harness.schedule(accepting: true, atNanos: (800 + 60 * 160) * 125_000) }
            harness.receive(packet(index, g729[index]), at: 800 + Int64(index) * 160)
        }
        #expect(harness.reassembler.pendingDecodes > 100, "decoding and silence both queued")
        let timeline = harness.close(at: 800 + 100 * 160 + 4_000)
        let expected = reference(Array(g729[0..<100]))
        let paused = (800 + 40 * 160)..<(800 + 60 * 160)
        let silent = timeline[paused].allSatisfy { $0 == 0 }
        let before = Array(timeline[800..<paused.lowerBound]) == Array(expected[0..<(40 * 160)])
        let after = Array(timeline[paused.upperBound..<(800 + 100 * 160)]) == Array(expected[(60 * 160)...])
        #expect(silent && before && after)
        #expect(harness.statistics.discardedWhilePaused == 20)
    }

    @Test("A capture thread and an encoder thread: 6 s of reordered G.729 under codec concealment, decoded on the reader's thread, equals bcg729's decode in order")
    func twoThreads() throws {
        let table = StreamPayloads(audio: [(18, .g729)])
        let reassembler = try StreamReassembler(payloads: table,
                                            decoders: StreamDecoders(for: table, factory: CodecLibraries(), concealsLoss: true),
                                            timing: ReassemblyTiming())
        var order = Array(0..<g729.count)
        for index in stride(from: 10, to: order.count - 1, by: 37) { order.swapAt(index, index + 1) }
        let origin: Int64 = 800, span = Int64(g729.count * 160)
        let end = origin + span + 4_000
        let done = Atomic<Bool>(false)
        let packets = order.map { packet($0, g729[$0]) }
        let producer = PosixThread {
            var clock: Int64 = 0
            for sent in order.indices {
                let arrival = origin + Int64(sent) * 160
                while clock < arrival {
                    clock += 40
                    reassembler.advance(now: clock, horizonNanos: clock * 125_000)
                }
                packets[sent].withUnsafeBytes { reassembler.receive($0, arrival: arrival, arrivalNanos: arrival * 125_000) }
                if sent % 50 == 0 { sched_yield() }
            }
            while !reassembler.close(at: end) { sched_yield() }
            done.store(true, ordering: .releasing)
        }
        let collected = Collected()
        let consumer = PosixThread {
            let scratch = UnsafeMutablePointer<Int16>.allocate(capacity: 4_096)
            defer { scratch.deallocate() }
            var position: Int64 = 0
            while position < end {
                let finished = done.load(ordering: .acquiring)
                let ready = Int(min(reassembler.readable(consumer: position), 4_096))
                if ready > 0 {
                    reassembler.ring.read(into: scratch, count: ready)
                    collected.samples += UnsafeBufferPointer(start: scratch, count: ready)
                    position += Int64(ready)
                } else if finished {
                    break
                } else {
                    sched_yield()
                }
            }
        }
        producer.join()
        consumer.join()
        let statistics = StreamStatistics(reassembler.counters)
        #expect(statistics.late == 0 && statistics.overflows == 0 && statistics.duplicates == 0)
        #expect(collected.samples.count == Int(end))
        let same = Array(collected.samples[Int(origin)..<Int(origin + span)]) == reference(g729)
        #expect(same)
    }

    @Test("A full queue refuses more work (the reassembler counts it as a full ring) and keeps room for a pause's silence")
    func fullQueue() throws {
        let queue = try DecodeQueue(seconds: 1, bytesPerSecond: 1_000)   // 128 jobs, 4 KB of payloads
        let payload: [UInt8] = Array(g729[0])
        var accepted = 0
        payload.withUnsafeBytes { bytes in
            while queue.decode(bytes, at: Int64(accepted) * 160, samples: 160, codec: .g729, concealFrom: -1) { accepted += 1 }
        }
        #expect(accepted == 128 - Int(DecodeQueue.silenceReserve))
        #expect(queue.silence(from: 0, to: 160))
        // Payload bytes run out before jobs do when payloads are large: a quarter of the byte ring at most.
        let large = try DecodeQueue(seconds: 1, bytesPerSecond: 1_000)
        var fitted = 0
        [UInt8](repeating: 0x55, count: 1_000).withUnsafeBytes { bytes in
            while large.decode(bytes, at: Int64(fitted) * 8_000, samples: 8_000, codec: .g729, concealFrom: -1) { fitted += 1 }
        }
        #expect(fitted == 4)
        let fresh = try DecodeQueue(seconds: 1, bytesPerSecond: 1_000)
        [UInt8](repeating: 0, count: 1_025).withUnsafeBytes { bytes in
            #expect(!fresh.decode(bytes, at: 0, samples: 80, codec: .g729, concealFrom: -1))
        }
    }

    @Test("An encoder that stops reading: the codec's payloads beyond what the queue holds are counted as ring-full drops, none is lost silently")
    func stalledConsumer() {
        // 2.5 ms Opus packets fill the queue's jobs before the ring (2 s) fills.
        let table = StreamPayloads(audio: [(111, .opus)])
        let harness = ReassemblyHarness(payloads: table, decoders: StreamDecoders(for: table, factory: CodecLibraries()),
                                        timing: ReassemblyTiming(ringCapacity: 16_384))
        harness.draining = false
        let payload: [UInt8] = [0xE0, 0xFF, 0xFE]   // CELT FB 2.5 ms, code 0: a valid frame
        for index in 0..<1_000 {
            let bytes = RTPPacketBuilder(payloadType: 111, sequenceNumber: UInt16(index), timestamp: UInt32(index) * 120, payload: payload).build()
            harness.receive(bytes, at: 800 + Int64(index) * 20)
        }
        let statistics = harness.statistics
        let queued = Int64(harness.reassembler.decodeQueue.capacity) - DecodeQueue.silenceReserve
        #expect(queued < 16_384 / 20, "the queue fills first")
        #expect(statistics.overflows == 1_000 - queued)
        #expect(statistics.packets == 1_000 && harness.reassembler.pendingDecodes == queued)
    }
}
