import MediaCore
import SIPCore
import Wire
#if canImport(Glibc)
import Glibc
#endif

/// `siprecd-bench --check-allocations`: the regression guard `make test` runs. The packet path —
/// frame decode (Wire), SRTP decryption in every suite, and RTP reassembly with G.711, G.729, G.726, G.722, Opus and AMR decode into the ring — must make no heap
/// allocation per packet in steady state. Exit status 1 when it does.
enum AllocationCheck {
    static func run() -> Int32 {
        var failures = 0
        // The guard is only worth something if the counter counts: prove it on known allocations.
        let probeBefore = Measure.allocations()
        var keep: [[Int]] = []
        for i in 0..<10 { keep.append(Array(repeating: i, count: 100 + i)) }
        let probe = Measure.allocations() - probeBefore
        guard probe >= 10, keep.count == 10 else {
            print("allocation check FAILED: the malloc counter saw \(probe) of 10 known allocations")
            return 1
        }
        let reassembly = runReassembler(RTPWorkload(count: 200_000, streams: 4, reorderEvery: 50), batch: 256, warmup: 20_000)
        let perPacket = Double(reassembly.allocations) / Double(reassembly.packets)
        print("reassembler + G.711: \(reassembly.allocations) allocations over \(reassembly.packets) packets (\(perPacket) per packet)")
        if reassembly.allocations > 0 { failures += 1 }
        let edged = runReassembler(RTPWorkload(count: 200_000, streams: 4, reorderEvery: 50), batch: 256, warmup: 20_000,
                                   edgeEveryBatches: 4)
        print("reassembler with a pause or resume every 1,024 packets: \(edged.allocations) allocations over \(edged.packets) packets")
        if edged.allocations > 0 { failures += 1 }

        // Every codec's packet path: G.729 through bcg729 (its decoder made when the stream opens).
        let g729 = runReassembler(RTPWorkload(count: 100_000, streams: 4, reorderEvery: 50, codec: .g729), batch: 256, warmup: 10_000)
        print("reassembler + G.729 (bcg729): \(g729.allocations) allocations over \(g729.packets) packets")
        if g729.malformed > 0 { failures += 1 }
        if g729.allocations > 0 { failures += 1 }
        for codec in [AudioCodec.g726_32, .g726_40, .aal2G726_24, .g722, .opus] {
            let run = runReassembler(RTPWorkload(count: 100_000, streams: 4, reorderEvery: 50, codec: codec), batch: 256, warmup: 10_000)
            print("reassembler + \(codec) (\(codec == .opus ? "libopus + speexdsp" : codec == .g722 ? "spandsp + speexdsp" : "spandsp")): \(run.allocations) allocations over \(run.packets) packets")
            if run.allocations > 0 || run.malformed > 0 { failures += 1 }
        }
        for codec in [AudioCodec.amr, .amrOctetAligned, .amrWB] {
            let run = runReassembler(RTPWorkload(count: 100_000, streams: 4, reorderEvery: 50, codec: codec), batch: 256, warmup: 10_000)
            print("reassembler + \(codec == .amr ? "AMR bandwidth-efficient" : codec == .amrWB ? "AMR-WB bandwidth-efficient" : "AMR octet-aligned") (opencore): \(run.allocations) allocations over \(run.packets) packets")
            if run.allocations > 0 || run.malformed > 0 { failures += 1 }
        }

        // A 16 kHz master: G.711 decoded and resampled up, the wideband decoders' output as it is.
        for codec in [AudioCodec.pcmu, .g729, .g722, .opus, .amrWB] {
            let run = runReassembler(RTPWorkload(count: 100_000, streams: 4, reorderEvery: 50, codec: codec), batch: 256, warmup: 10_000,
                                     sampleRate: 16_000)
            print("reassembler + \(codec) into a 16 kHz master: \(run.allocations) allocations over \(run.packets) packets")
            if run.allocations > 0 || run.malformed > 0 || run.samplesRead == 0 { failures += 1 }
        }

        // Codec concealment: packets after a loss held and decoded in timestamp order, the loss concealed. An
        // advance every 16 packets a stream (320 ms; the capture thread's is every 5 ms): the 32 packets a
        // stream holds cover a gap until it is due.
        for (codec, rate) in [(AudioCodec.g729, 8_000), (.amr, 8_000), (.opus, 16_000), (.amrWB, 16_000), (.g722, 16_000)] {
            let run = runReassembler(RTPWorkload(count: 100_000, streams: 4, reorderEvery: 50, codec: codec, loseEvery: 40), batch: 64,
                                     warmup: 10_000, sampleRate: rate, concealsLoss: true)
            print("reassembler + \(codec) at \(rate / 1000) kHz, codec concealment, 1 packet in 40 lost: \(run.allocations) allocations over \(run.packets) packets, \(run.concealed) samples concealed, \(run.late) late")
            // G.722 has no concealment of its own: its losses stay silent, but its packets still go through the hold.
            if run.allocations > 0 || run.malformed > 0 || run.late > 0 || (codec != .g722) != (run.concealed > 0) { failures += 1 }
        }

        // SRTP: each packet copied, authenticated, replay-checked and decrypted in place by the data plane's
        // StreamDecryption, then reassembled (libsrtp makes its stream for an SSRC in the warm-up).
        for suite in SRTPSuite.allCases {
            let run = runReassembler(RTPWorkload(count: 100_000, streams: 4, reorderEvery: 50), batch: 256, warmup: 10_000, srtp: suite)
            print("SRTP \(suite.rawValue) + reassembler + G.711: \(run.allocations) allocations over \(run.packets) packets, \(run.malformed) refused")
            if run.allocations > 0 || run.malformed > 0 || run.samplesRead == 0 { failures += 1 }
        }

        let decoded = decodeFrames(count: 200_000)
        print("frame decode (Ethernet/802.1Q/IPv4/UDP): \(decoded) allocations over 200000 frames")
        if decoded > 0 { failures += 1 }
        print(failures == 0 ? "allocation check passed" : "allocation check FAILED: the packet path allocates (or a codec workload did not decode)")
        return failures == 0 ? 0 : 1
    }

    /// Decodes a VLAN-tagged Ethernet/IPv4/UDP/RTP frame repeatedly; returns the allocations counted.
    static func decodeFrames(count: Int) -> UInt64 {
        var frame: [UInt8] = [0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x81, 0x00, 0x00, 0x64, 0x08, 0x00]
        let ipLength = 20 + 8 + 172
        frame += [0x45, 0, UInt8(ipLength >> 8), UInt8(ipLength & 0xFF), 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
        frame += [0x9C, 0x40, 0x75, 0x30, 0, 180, 0, 0]
        frame += [0x80, 0] + Array(repeating: 0xFF, count: 170)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: frame.count, alignment: 8)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: frame)
        let view = UnsafeRawBufferPointer(buffer)
        var checksum = 0
        for _ in 0..<1_000 {  // warm-up
            if case .success(let p) = PacketDecoder.decode(view, linkType: .ethernet) { checksum &+= p.payloadLength }
        }
        let before = Measure.allocations()
        for _ in 0..<count {
            if case .success(let p) = PacketDecoder.decode(view, linkType: .ethernet) { checksum &+= Int(p.destination.port) }
        }
        let after = Measure.allocations()
        if checksum == 42 { print("") }  // keeps the loop from being optimised away
        return after - before
    }
}
