import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import MediaCore

@Suite("Buffers the system will not give")
struct MemoryExhaustedTests {
    /// 2^50 samples: 2 PB of address space, more than any 64-bit Linux gives a process.
    static let impossible = 1 << 50

    @Test("A ring the system cannot map throws, naming its size and the system's reason, instead of stopping the process")
    func ringThrows() {
        #expect(throws: MemoryExhausted(purpose: "stream ring", bytes: 1 << 51, errno: ENOMEM)) {
            try StreamRing(minimumCapacity: MemoryExhaustedTests.impossible)
        }
        let error = MemoryExhausted(purpose: "stream ring", bytes: 1 << 51, errno: ENOMEM)
        #expect(error.description == "out of memory: cannot map a 2251799813685248-byte stream ring (Cannot allocate memory)")
    }

    @Test("A reassembler whose ring cannot be mapped throws; the next one is made as usual")
    func reassemblerThrows() throws {
        let payloads = StreamPayloads(audioPayloadType: 0, codec: .pcmu)
        #expect(throws: MemoryExhausted.self) {
            try StreamReassembler(payloads: payloads, timing: ReassemblyTiming(ringCapacity: MemoryExhaustedTests.impossible))
        }
        let usual = try StreamReassembler(payloads: payloads, timing: ReassemblyTiming())
        #expect(usual.ring.capacity == 65_536)
    }

    @Test("A decode queue the system cannot map throws")
    func decodeQueueThrows() {
        #expect(throws: MemoryExhausted.self) {
            try DecodeQueue(seconds: 1 << 40, bytesPerSecond: 0)      // 2^47 jobs
        }
    }
}
