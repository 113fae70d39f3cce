import CBcg729
import COpencoreAMR
import CSpanDSP
import MediaCore

/// Each codec library's own decode loop over the payloads of `workload` (one decoder per stream): the
/// reference the reassembler's path for that codec is measured against. CPU ns per packet, or nil for a
/// codec without one here.
func libraryDecodeLoop(_ workload: borrowing RTPWorkload, warmup: Int) -> Double? {
    switch workload.codec {
    case .g729: return bcg729DecodeLoop(workload, warmup: warmup)
    case .g726_16, .g726_24, .g726_32, .g726_40: return spandspG726Loop(workload, warmup: warmup)
    case .amr, .amrOctetAligned: return opencoreAMRLoop(workload, warmup: warmup)
    case .pcmu, .pcma: return nil
    }
}

/// Times `decode` over the workload's packets after `warmup` of them; CPU ns per packet.
private func timedLoop(_ workload: borrowing RTPWorkload, warmup: Int, _ decode: (Int, UnsafePointer<UInt8>) -> Int) -> Double {
    let bytes = UnsafeRawPointer(workload.bytes).assumingMemoryBound(to: UInt8.self)
    var checksum = 0
    for i in 0..<warmup { checksum &+= decode(i, bytes + i * workload.packetSize + RTPWorkload.headerBytes) }
    let cpu0 = Measure.cpu()
    for i in warmup..<workload.count { checksum &+= decode(i, bytes + i * workload.packetSize + RTPWorkload.headerBytes) }
    let cpu = Measure.cpu() - cpu0
    if checksum == 42 { print("") }  // keeps the loop from being optimised away
    return Double(cpu) / Double(workload.count - warmup)
}

/// bcg729: two 10-byte frames a packet.
func bcg729DecodeLoop(_ workload: borrowing RTPWorkload, warmup: Int) -> Double {
    let channels = (0..<workload.streams).map { _ in initBcg729DecoderChannel()! }
    defer { for channel in channels { closeBcg729DecoderChannel(channel) } }
    let output = UnsafeMutablePointer<Int16>.allocate(capacity: 160)
    defer { output.deallocate() }
    let streams = workload.streamIndex
    return timedLoop(workload, warmup: warmup) { i, payload in
        let channel = channels[Int(streams[i])]
        bcg729Decoder(channel, payload, 10, 0, 0, 0, output)
        bcg729Decoder(channel, payload + 10, 10, 0, 0, 0, output + 80)
        return Int(output[79])
    }
}

/// spandsp's G.726: the whole payload in one call.
func spandspG726Loop(_ workload: borrowing RTPWorkload, warmup: Int) -> Double {
    let bits = workload.codec.g726Bits!
    let states = (0..<workload.streams).map { _ in
        g726_init(nil, Int32(bits * 8_000), Int32(G726_ENCODING_LINEAR), Int32(G726_PACKING_RIGHT))!
    }
    defer { for state in states { g726_free(state) } }
    let output = UnsafeMutablePointer<Int16>.allocate(capacity: 160)
    defer { output.deallocate() }
    let streams = workload.streamIndex, length = Int32(workload.payloadBytes)
    return timedLoop(workload, warmup: warmup) { i, payload in
        Int(g726_decode(states[Int(streams[i])], output, payload, length)) &+ Int(output[159])
    }
}

/// opencore-amrnb over the storage-format frame each payload carries: in the octet-aligned payload it
/// starts after the CMR octet; for bandwidth-efficient payloads it is unpacked before the timed loop.
func opencoreAMRLoop(_ workload: borrowing RTPWorkload, warmup: Int) -> Double {
    let states = (0..<workload.streams).map { _ in Decoder_Interface_init()! }
    defer { for state in states { Decoder_Interface_exit(state) } }
    let output = UnsafeMutablePointer<Int16>.allocate(capacity: 160)
    defer { output.deallocate() }
    let frames = UnsafeMutablePointer<UInt8>.allocate(capacity: workload.count * 32)
    defer { frames.deallocate() }
    let bytes = UnsafeRawPointer(workload.bytes).assumingMemoryBound(to: UInt8.self)
    for i in 0..<workload.count {
        let payload = bytes + i * workload.packetSize + RTPWorkload.headerBytes, frame = frames + i * 32
        if workload.codec == .amrOctetAligned {
            frame.update(from: payload + 1, count: 32)
        } else {
            // After the 10 bits of CMR and ToC: 244 speech bits.
            frame[0] = 7 << 3 | 0x04
            for bit in 0..<244 {
                let from = 10 + bit
                let value = (payload[from >> 3] >> (7 - UInt8(from & 7))) & 1
                if bit & 7 == 0 { frame[1 + (bit >> 3)] = 0 }
                frame[1 + (bit >> 3)] |= value << (7 - UInt8(bit & 7))
            }
        }
    }
    let streams = workload.streamIndex
    return timedLoop(workload, warmup: warmup) { i, _ in
        Decoder_Interface_Decode(states[Int(streams[i])], frames + i * 32, output, 0)
        return Int(output[159])
    }
}
