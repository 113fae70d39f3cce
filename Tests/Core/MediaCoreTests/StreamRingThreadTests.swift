import Testing
import MediaCore
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Memory both threads touch; each element is written by one thread only.
private final class SharedBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int16>
    init(count: Int) { pointer = .allocate(capacity: count); pointer.initialize(repeating: -1, count: count) }
    deinit { pointer.deallocate() }
}

@Suite("Stream ring across threads")
struct StreamRingThreadTests {
    @Test("A producer and a consumer on two threads pass a million samples through the ring bit-exact",
          arguments: [4_096, 32_768])   // 32,768 slots: pages are returned to the kernel as they are read
    func producerConsumer(capacity: Int) throws {
        let packets = 6_250
        let total = packets * 160
        var generator = SeededGenerator(seed: 42)
        let codes = generator.bytes(total)
        let expected = G711Reference.decode(codes, .pcmu)
        let ring = try StreamRing(minimumCapacity: capacity)
        let output = SharedBuffer(count: total)

        let producer = PosixThread {
            codes.withUnsafeBytes { all in
                for k in 0..<packets {
                    let payload = UnsafeRawBufferPointer(rebasing: all[(k * 160)..<((k + 1) * 160)])
                    while true {
                        let outcome = ring.write(position: Int64(k * 160), payload: payload, table: G711Tables.muLaw)
                        if outcome == .written { break }
                        precondition(outcome == .overflow, "unexpected \(outcome)")
                        sched_yield()
                        ring.release(upTo: Int64(k * 160))
                    }
                    ring.release(upTo: Int64((k + 1) * 160))
                }
            }
        }
        let consumer = PosixThread {
            var position: Int64 = 0
            while position < Int64(total) {
                let available = Int(min(ring.readable(consumer: position), 997))
                if available == 0 { sched_yield(); continue }
                ring.read(into: output.pointer + Int(position), count: available)
                position += Int64(available)
            }
        }
        producer.join()
        consumer.join()
        let result = Array(UnsafeBufferPointer(start: output.pointer, count: total))
        #expect(result == expected)
        #expect(ring.consumed == Int64(total))
    }

    @Test("A ring sized for 8 s holds only the pages between consumer and producer once it is read as it fills")
    func residentMemoryFollowsTheConsumer() throws {
        let ring = try StreamRing(minimumCapacity: 65_536)          // 8.2 s, 128 KB
        let payload = [UInt8](repeating: 0x55, count: 160)
        let scratch = UnsafeMutablePointer<Int16>.allocate(capacity: 1_600)
        defer { scratch.deallocate() }
        var consumer: Int64 = 0
        var peak = 0
        for k in 0..<1_500 {                                     // 30 s of one stream, two laps and more
            payload.withUnsafeBytes { _ = ring.write(position: Int64(k * 160), payload: $0, table: G711Tables.muLaw) }
            ring.release(upTo: Int64(k * 160) - 1_600)           // a 200 ms reorder hold
            if k % 10 == 9 {                                     // the encoder takes 200 ms at a time
                let ready = Int(min(ring.readable(consumer: consumer), 1_600))
                ring.read(into: scratch, count: ready)
                consumer += Int64(ready)
                if ready > 0 { #expect(scratch[0] == G711.muLawToLinear(0x55)) }
            }
            if k > 500 { peak = max(peak, ring.residentBytes) }
        }
        #expect(consumer > 1_500 * 160 - 6_400)
        // Reorder hold + one chunk + the page being published: a few pages, not the whole 128 KB.
        #expect(peak <= 24 * 1_024, "resident \(peak) bytes")
    }
}
