import Testing
import MediaCore

@Suite("Stream ring slot reuse")
struct StreamRingReuseTests {
    /// Three laps of one stream where the later laps lose every third packet: each lost packet's slots
    /// must read as silence, never as the audio of the lap before (pages returned to the kernel come back
    /// zero; the origin's partial page and rings too small to return pages are zeroed by the producer).
    @Test("A slot no packet wrote in a later lap reads as silence, not as the lap before",
          arguments: [(4_096, Int64(0)), (4_096, Int64(1_000)), (65_536, Int64(0)), (65_536, Int64(1_000)),
                      (65_536, Int64(-3_000)), (65_536, Int64(2_048))])
    func lostPacketsOfLaterLapsAreSilent(capacity: Int, origin: Int64) throws {
        let ring = try StreamRing(minimumCapacity: capacity, origin: origin)
        let packet = 160
        let laps = 3
        let packets = ring.capacity * laps / packet
        let loud = [UInt8](repeating: 0x10, count: packet)       // μ-law 0x10: a loud sample, far from 0
        let scratch = UnsafeMutablePointer<Int16>.allocate(capacity: packet)
        defer { scratch.deallocate() }
        var consumer = origin
        var wrongSilence = 0
        var stale = 0
        for k in 0..<packets {
            let position = origin + Int64(k * packet)
            let lost = position >= origin + Int64(ring.capacity) && k % 3 == 0
            if !lost {
                let outcome = loud.withUnsafeBytes { ring.write(position: position, payload: $0, table: G711Tables.muLaw) }
                #expect(outcome == .written)
            }
            ring.release(upTo: position + Int64(packet))
            ring.read(into: scratch, count: packet)
            consumer += Int64(packet)
            let samples = UnsafeBufferPointer(start: scratch, count: packet)
            if lost {
                stale += samples.filter { $0 != 0 }.count
            } else {
                wrongSilence += samples.filter { $0 != G711.muLawToLinear(0x10) }.count
            }
        }
        #expect(consumer == origin + Int64(packets * packet))
        #expect(stale == 0, "\(stale) samples of a lost packet held the lap before's audio")
        #expect(wrongSilence == 0)
    }
}
