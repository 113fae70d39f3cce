import CBcg729
import COpencoreAMR
import COpus
import CSpanDSP
import CSpeexDSP
import MediaCore

/// Each codec library's own decode loop over the payloads of `workload` (one decoder per stream): the
/// reference the reassembler's path for that codec is measured against. CPU ns per packet, or nil for a
/// codec without one here. `sampleRate`: the master's rate the chain decodes into (8000, or 16000).
func libraryDecodeLoop(_ workload: borrowing RTPWorkload, warmup: Int, sampleRate: Int = 8_000) -> Double? {
    switch workload.codec {
    case .pcmu, .pcma: return sampleRate == 8_000 ? nil : g711UpsampledLoop(workload, warmup: warmup, to: sampleRate)
    case .g729: return bcg729DecodeLoop(workload, warmup: warmup)
    case .g726_16, .g726_24, .g726_32, .g726_40: return spandspG726Loop(workload, warmup: warmup)
    case .g722: return spandspG722Loop(workload, warmup: warmup, to: sampleRate)
    case .opus: return libopusLoop(workload, warmup: warmup, to: sampleRate)
    case .amr, .amrOctetAligned: return opencoreAMRLoop(workload, warmup: warmup)
    case .amrWB: return opencoreAMRWBLoop(workload, warmup: warmup, to: sampleRate)
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

/// A library's decode at `from` Hz (`decode(state, packet index, payload, into)` returns the samples
/// written, at most 1,920) followed — when the master's rate `to` is another — by speexdsp's resampler
/// (quality 4), one decoder and one resampler per stream: the chain siprecd runs for a stream whose rate is
/// not the master's (G.722, Opus and AMR-WB into 8 kHz; G.711 into 16 kHz).
private func resampledLoop<State>(_ workload: borrowing RTPWorkload, warmup: Int, from: Int = 16_000, to: Int = 8_000,
                                  make: () -> State, free: (State) -> Void,
                                  _ decode: (State, Int, UnsafePointer<UInt8>, UnsafeMutablePointer<Int16>) -> Int32) -> Double {
    let states = (0..<workload.streams).map { _ in make() }
    let converters: [OpaquePointer] = from == to ? [] : (0..<workload.streams).map { _ in
        var error: Int32 = 0
        return speex_resampler_init(1, UInt32(from), UInt32(to), SPEEX_RESAMPLER_QUALITY_DEFAULT, &error)!
    }
    defer {
        states.forEach(free)
        converters.forEach(speex_resampler_destroy)
    }
    let wide = UnsafeMutablePointer<Int16>.allocate(capacity: 1_920), narrow = UnsafeMutablePointer<Int16>.allocate(capacity: 1_920)
    defer { wide.deallocate(); narrow.deallocate() }
    let streams = workload.streamIndex
    return timedLoop(workload, warmup: warmup) { i, payload in
        let stream = Int(streams[i])
        let count = decode(states[stream], i, payload, wide)
        guard !converters.isEmpty else { return Int(wide[Int(max(1, count)) - 1]) }
        var consumed = UInt32(max(0, count)), produced = UInt32(Int(count) * to / from)
        speex_resampler_process_int(converters[stream], 0, wide, &consumed, narrow, &produced)
        return Int(narrow[Int(max(1, produced)) - 1])
    }
}

/// G.711 by table at 8 kHz, then the resampler up to the master's rate.
func g711UpsampledLoop(_ workload: borrowing RTPWorkload, warmup: Int, to rate: Int) -> Double {
    let length = workload.payloadBytes
    let table = G711Tables.table(for: workload.codec)
    return resampledLoop(workload, warmup: warmup, from: 8_000, to: rate, make: { 0 }, free: { _ in }) { _, _, payload, out in
        for index in 0..<length { out[index] = table[Int(payload[index])] }
        return Int32(length)
    }
}

/// spandsp's G.722 decoder to 16 kHz, the payload in one call, then the resampler to an 8 kHz master.
func spandspG722Loop(_ workload: borrowing RTPWorkload, warmup: Int, to rate: Int = 8_000) -> Double {
    let length = Int32(workload.payloadBytes)
    return resampledLoop(workload, warmup: warmup, to: rate, make: { g722_decode_init(nil, 64_000, 0)! }, free: { _ = g722_decode_free($0) }) {
        state, _, payload, wide in g722_decode(state, wide, payload, length)
    }
}

/// libopus's decoder at 16 kHz, one packet a call, then the resampler to an 8 kHz master.
func libopusLoop(_ workload: borrowing RTPWorkload, warmup: Int, to rate: Int = 8_000) -> Double {
    let length = Int32(workload.payloadBytes)
    return resampledLoop(workload, warmup: warmup, to: rate, make: {
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
func opencoreAMRWBLoop(_ workload: borrowing RTPWorkload, warmup: Int, to rate: Int = 8_000) -> Double {
    let frames = amrStorageFrames(workload, frameType: 2, bits: 253, stride: 33)
    defer { frames.deallocate() }
    return resampledLoop(workload, warmup: warmup, to: rate, make: { D_IF_init()! }, free: D_IF_exit) { state, i, _, wide in
        D_IF_decode(state, frames + i * 33, wide, 0)
        return 320
    }
}
