// 13. SRTP: siprecd's receive path (SRTPReceiver) against libsrtp's own unprotect loop, on the same packets.
import CSRTP
import MediaCore
import Pipeline
import SIPCore
import SRTP
#if canImport(Glibc)
import Glibc
#endif

/// One suite's SDES line (fixed test keys: RFC 4568's example for AES-CM; bytes 0, 1, 2 … for AEAD).
let srtpBenchLines: [(SRTPSuite, String)] = [
    (.aesCM128HmacSHA1_80, "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"),
    (.aesCM128HmacSHA1_32, "2 AES_CM_128_HMAC_SHA1_32 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"),
    (.aeadAES128GCM, "3 AEAD_AES_128_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw=="),
    (.aeadAES256GCM, "4 AEAD_AES_256_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis="),
]

struct SRTPBenchRun {
    /// CPU ns per packet: copy into the receive buffer + unprotect.
    var receiverNanos: Double
    var libraryNanos: Double
    /// Heap allocations in the receiver's timed loop (after the first packets made libsrtp's streams).
    var allocations: UInt64
    var failures: Int
}

/// The reassembler benchmark's G.711 workload (``RTPWorkload``: 4 SSRCs, sequence numbers and timestamps
/// that wrap, one packet in 50 reordered) protected by libsrtp as the SRC would, then unprotected by a fresh
/// SRTPReceiver and by a fresh libsrtp session driven directly; each packet is copied into the same 2 KiB
/// buffer first, as the data plane copies a datagram out of the capture buffer before decrypting it in place.
func runSRTPBench(_ line: String, count: Int) -> SRTPBenchRun {
    guard let crypto = try? SDPCrypto(parsing: line[...]) else { fail("SRTP benchmark: bad offer \(line)") }
    let secure = SecureWorkload(RTPWorkload(count: count, streams: streamCount, reorderEvery: reorderEvery), crypto: crypto)
    let wire = secure.wire, lengths = secure.lengths, stride = secure.stride
    let warmup = 4 * streamCount
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 2_048, alignment: 16)
    defer { scratch.deallocate() }
    var failures = 0

    // siprecd's receiver.
    guard let receiver = try? SRTPReceiver(crypto: crypto) else { fail("SRTP benchmark: receiver refused \(line)") }
    var receiverCPU: Int64 = 0, allocations: UInt64 = 0
    do {
        let buffer = UnsafeRawBufferPointer(wire)
        func receive(_ index: Int) {
            let length = Int(lengths[index])
            scratch.baseAddress!.copyMemory(from: buffer.baseAddress! + index * stride, byteCount: length)
            if case .plain = receiver.unprotectRTP(UnsafeMutableRawBufferPointer(rebasing: scratch[0..<length])) {} else { failures += 1 }
        }
        // The first packet of each SSRC makes libsrtp's stream for it: outside the timed loop.
        for index in 0..<warmup { receive(index) }
        let allocationsBefore = Measure.allocations(), start = Measure.cpu()
        for index in warmup..<count { receive(index) }
        receiverCPU = Measure.cpu() - start
        allocations = Measure.allocations() - allocationsBefore
    }

    // libsrtp on its own: the same policy, srtp_unprotect called directly.
    let (library, libraryStatus) = SRTPPolicy.create(crypto, ssrc: ssrc_any_inbound)
    guard let library, libraryStatus == srtp_err_status_ok else { fail("SRTP benchmark: library policy \(libraryStatus.rawValue)") }
    defer { srtp_dealloc(library) }
    var libraryCPU: Int64 = 0
    do {
        let buffer = UnsafeRawBufferPointer(wire)
        func unprotect(_ index: Int) {
            var length = lengths[index]
            scratch.baseAddress!.copyMemory(from: buffer.baseAddress! + index * stride, byteCount: Int(length))
            if srtp_unprotect(library, scratch.baseAddress!, &length) != srtp_err_status_ok { failures += 1 }
        }
        for index in 0..<warmup { unprotect(index) }
        let start = Measure.cpu()
        for index in warmup..<count { unprotect(index) }
        libraryCPU = Measure.cpu() - start
    }
    return SRTPBenchRun(receiverNanos: Double(receiverCPU) / Double(count - warmup), libraryNanos: Double(libraryCPU) / Double(count - warmup),
                        allocations: allocations, failures: failures)
}

/// A workload's packets protected as the SRC would (one libsrtp sender for every SSRC, in arrival order),
/// each in a slot of `stride` bytes with room for the tag; for the reassembler's SRTP runs, a
/// ``StreamDecryption`` per stream as the data plane has.
final class SecureWorkload {
    let wire: UnsafeMutableRawBufferPointer
    var lengths: [Int32]
    let stride: Int
    let decryptions: [StreamDecryption]
    let scratch = PacketScratch()

    convenience init(_ workload: borrowing RTPWorkload, suite: SRTPSuite, reassemblers: [StreamReassembler]) {
        guard let line = srtpBenchLines.first(where: { $0.0 == suite })?.1, let crypto = try? SDPCrypto(parsing: line[...]) else {
            fail("SRTP workload: no offer for \(suite)")
        }
        self.init(workload, crypto: crypto, reassemblers: reassemblers)
    }

    init(_ workload: borrowing RTPWorkload, crypto: SDPCrypto, reassemblers: [StreamReassembler] = []) {
        guard SRTPReceiver.libraryReady else { fail("SRTP workload: libsrtp did not initialise") }
        let (sender, status) = SRTPPolicy.create(crypto, ssrc: ssrc_any_outbound)
        guard let sender, status == srtp_err_status_ok else { fail("SRTP workload: sender policy \(status.rawValue)") }
        defer { srtp_dealloc(sender) }
        stride = workload.packetSize + 32
        wire = .allocate(byteCount: workload.count * stride, alignment: 16)
        wire.initializeMemory(as: UInt8.self, repeating: 0)
        lengths = [Int32](repeating: 0, count: workload.count)
        for index in 0..<workload.count {
            let packet = wire.baseAddress! + index * stride
            packet.copyMemory(from: workload.bytes + index * workload.packetSize, byteCount: workload.packetSize)
            var length = Int32(workload.packetSize)
            let status = srtp_protect(sender, packet, &length)
            guard status == srtp_err_status_ok else { fail("SRTP workload: protect of packet \(index) failed (libsrtp status \(status.rawValue))") }
            lengths[index] = length
        }
        decryptions = reassemblers.map { reassembler in
            guard let receiver = try? SRTPReceiver(crypto: crypto) else { fail("SRTP workload: receiver refused \(crypto.suite)") }
            return StreamDecryption(receiver, counters: reassembler.counters, totals: nil)
        }
    }

    deinit { wire.deallocate() }

    @inline(__always)
    func datagram(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: wire.baseAddress! + index * stride, count: Int(lengths[index]))
    }
}

@MainActor
func printSRTPBench(packets: Int, repetitions: Int) {
    var rows: [[String]] = []
    for (suite, line) in srtpBenchLines {
        let runs = (0..<repetitions).map { _ in runSRTPBench(line, count: packets) }
        let failures = runs.map(\.failures).reduce(0, +)
        if failures > 0 { fail("SRTP benchmark: \(failures) packets of \(suite.rawValue) did not unprotect") }
        let receiver = runs.map(\.receiverNanos), library = runs.map(\.libraryNanos)
        rows.append([suite.rawValue, format(receiver.minimum, 1), format(receiver.median, 1), format(library.minimum, 1),
                     format(library.median, 1), format(receiver.median / library.median, 2), "\(runs.map(\.allocations).max()!)"])
    }
    printTable("13. SRTP unprotect, siprecd's SRTPReceiver against libsrtp's own srtp_unprotect loop (\(grouped(packets)) G.711 packets of 172 + tag bytes, \(streamCount) SSRCs, sequence numbers wrapping, 1 in \(reorderEvery) reordered; copy + unprotect, CPU ns/packet, best and median of \(repetitions))",
               ["Suite", "SRTPReceiver best", "median", "libsrtp loop best", "median", "ratio (medians)", "allocations in timed loop (max)"], rows)
}

/// 13b. The data plane with SRTP against plain RTP: StreamDecryption + reassembler + G.711 against the
/// reassembler alone on the same workload, with few streams (hot caches) and with as many as a loaded box
/// has (each packet meets its stream's libsrtp state, key schedule and replay window cold).
@MainActor
func printSRTPDataPlane(packets: Int, repetitions: Int) {
    var rows: [[String]] = []
    for streams in [4, 3_000] {
        let warmup = max(20_000, 8 * streams)
        // Whole rounds: beyond them the workload repeats a stream's last packet, which SRTP refuses as a replay.
        let total = (packets + warmup + streams - 1) / streams * streams
        func median(_ suite: SRTPSuite?) -> (Double, UInt64) {
            let runs = (0..<repetitions).map { _ in
                runReassembler(RTPWorkload(count: total, streams: streams, reorderEvery: reorderEvery), batch: batchPackets,
                               warmup: warmup, srtp: suite)
            }
            if runs.contains(where: { $0.malformed > 0 }) { fail("SRTP data plane: packets refused") }
            return (runs.map { Double($0.cpuNanos) / Double($0.packets) }.median, runs.map(\.allocations).max()!)
        }
        let (plain, _) = median(nil)
        for suite in SRTPSuite.allCases {
            let (secure, allocations) = median(suite)
            rows.append(["\(grouped(streams))", suite.rawValue, format(plain, 1), format(secure, 1), format(secure - plain, 1),
                         format(secure / plain, 2), "\(allocations)"])
        }
    }
    printTable("13b. The data plane with SRTP: StreamDecryption (copy, authenticate, replay check, decrypt) + reassembler + G.711, against the reassembler alone on the same packets (\(grouped(packets)) packets a run, CPU ns/packet, median of \(repetitions))",
               ["Streams", "Suite", "plain RTP", "SRTP", "SRTP cost", "ratio", "allocations in timed loop (max)"], rows)
}