import CBcg729
import COpencoreAMR
import COpus
import CSpanDSP
import CSpeexDSP
import MediaCore

/// Each codec library's own decode loop over the payloads of `workload` (one decoder per stream): the
/// reference the reassembler's path for that codec is measured against. CPU ns per packet, or nil for a
/// codec without one here.
func libraryDecodeLoop(_ workload: borrowing RTPWorkload, warmup: Int) -> Double? {
    switch workload.codec {
    case .g729: return bcg729DecodeLoop(workload, warmup: warmup)
    case .g726_16, .g726_24, .g726_32, .g726_40: return spandspG726Loop(workload, warmup: warmup)
    case .g722: return spandspG722Loop(workload, warmup: warmup)
    case .opus: return libopusLoop(workload, warmup: warmup)
    case .amr, .amrOctetAligned: return opencoreAMRLoop(workload, warmup: warmup)
    case .amrWB: return opencoreAMRWBLoop(workload, warmup: warmup)
    default: return nil
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

/// A wideband library's decode to 16 kHz (`decode(state, packet index, payload, into)` returns the samples
/// written, at most 1,920) followed by speexdsp's resampler to 8 kHz (quality 4), one decoder and one
/// resampler per stream: the chain siprecd runs for G.722, Opus and AMR-WB while its master is narrowband.
private func resampledLoop<State>(_ workload: borrowing RTPWorkload, warmup: Int, make: () -> State, free: (State) -> Void,
                                  _ decode: (State, Int, UnsafePointer<UInt8>, UnsafeMutablePointer<Int16>) -> Int32) -> Double {
    let states = (0..<workload.streams).map { _ in make() }
    let converters = (0..<workload.streams).map { _ in
        var error: Int32 = 0
        return speex_resampler_init(1, 16_000, 8_000, SPEEX_RESAMPLER_QUALITY_DEFAULT, &error)!
    }
    defer {
        states.forEach(free)
        converters.forEach(speex_resampler_destroy)
    }
    let wide = UnsafeMutablePointer<Int16>.allocate(capacity: 1_920), narrow = UnsafeMutablePointer<Int16>.allocate(capacity: 960)
    defer { wide.deallocate(); narrow.deallocate() }
    let streams = workload.streamIndex
    return timedLoop(workload, warmup: warmup) { i, payload in
        let stream = Int(streams[i])
        let count = decode(states[stream], i, payload, wide)
        var consumed = UInt32(max(0, count)), produced = UInt32(count / 2)
        speex_resampler_process_int(converters[stream], 0, wide, &consumed, narrow, &produced)
        return Int(narrow[Int(max(1, produced)) - 1])
    }
}

/// spandsp's G.722 decoder to 16 kHz, the payload in one call, then the resampler.
func spandspG722Loop(_ workload: borrowing RTPWorkload, warmup: Int) -> Double {
    let length = Int32(workload.payloadBytes)
    return resampledLoop(workload, warmup: warmup, make: { g722_decode_init(nil, 64_000, 0)! }, free: { _ = g722_decode_free($0) }) {
        state, _, payload, wide in g722_decode(state, wide, payload, length)
    }
}

/// libopus's decoder at 16 kHz, one packet a call, then the resampler.
func libopusLoop(_ workload: borrowing RTPWorkload, warmup: Int) -> Double {
    let length = Int32(workload.payloadBytes)
    return resampledLoop(workload, warmup: warmup, make: {
        var error: Int32 = 0
        return opus_decoder_create(16_000, 1, &error)!
    }, free: opus_decoder_destroy) { state, _, payload, wide in
        opus_decode(state, payload, length, wide, 1_920, 0)
    }
}

/// The storage-format frame of every payload of an AMR workload, built before the timed loop: in the
/// octet-aligned payload it starts after the CMR octet; bandwidth-efficient frames (`bits` after the 10
/// bits of CMR and ToC, of type `frameType`) are unpacked. `stride` bytes a frame.
private func amrStorageFrames(_ workload: borrowing RTPWorkload, frameType: UInt8, bits: Int, stride: Int) -> UnsafeMutablePointer<UInt8> {
    let frames = UnsafeMutablePointer<UInt8>.allocate(capacity: workload.count * stride)
    frames.initialize(repeating: 0, count: workload.count * stride)
    let bytes = UnsafeRawPointer(workload.bytes).assumingMemoryBound(to: UInt8.self)
    for i in 0..<workload.count {
        let payload = bytes + i * workload.packetSize + RTPWorkload.headerBytes, frame = frames + i * stride
        if workload.codec == .amrOctetAligned {
            frame.update(from: payload + 1, count: stride)
            continue
        }
        frame[0] = frameType << 3 | 0x04
        for bit in 0..<bits {
            let from = 10 + bit
            frame[1 + (bit >> 3)] |= ((payload[from >> 3] >> (7 - UInt8(from & 7))) & 1) << (7 - UInt8(bit & 7))
        }
    }
    return frames
}

/// opencore-amrnb over each payload's 12.2 kbit/s frame.
func opencoreAMRLoop(_ workload: borrowing RTPWorkload, warmup: Int) -> Double {
    let states = (0..<workload.streams).map { _ in Decoder_Interface_init()! }
    defer { for state in states { Decoder_Interface_exit(state) } }
    let output = UnsafeMutablePointer<Int16>.allocate(capacity: 160)
    defer { output.deallocate() }
    let frames = amrStorageFrames(workload, frameType: 7, bits: 244, stride: 32)
    defer { frames.deallocate() }
    let streams = workload.streamIndex
    return timedLoop(workload, warmup: warmup) { i, _ in
        Decoder_Interface_Decode(states[Int(streams[i])], frames + i * 32, output, 0)
        return Int(output[159])
    }
}

/// opencore-amrwb over each payload's 12.65 kbit/s frame (unpacked before the timed loop), then the resampler.
func opencoreAMRWBLoop(_ workload: borrowing RTPWorkload, warmup: Int) -> Double {
    let frames = amrStorageFrames(workload, frameType: 2, bits: 253, stride: 33)
    defer { frames.deallocate() }
    return resampledLoop(workload, warmup: warmup, make: { D_IF_init()! }, free: D_IF_exit) { state, i, _, wide in
        D_IF_decode(state, frames + i * 33, wide, 0)
        return 320
    }
}
