import Codecs
import COpus
import MediaCore
import SIPCore
#if canImport(Glibc)
import Glibc
#endif

/// RTP datagrams built in memory before timing: `count` packets of `packetSize` bytes, back to back,
/// interleaved round-robin over `streams` streams, with a small fraction swapped with their successor
/// (reordering). Arrival positions (8 kHz samples) are precomputed, so the timed loop only reads memory.
/// 20 ms packets of PCMU (160 bytes), G.729 (two 10-byte frames of noise, which bcg729 decodes like speech),
/// G.726 (160 codewords of noise, 40–100 bytes), G.722 (160 bytes), Opus (a tone from libopus's encoder,
/// padded to 80 bytes, on a 48 kHz clock) or AMR (one 12.2 kbit/s frame of noise: 32 bytes
/// bandwidth-efficient, 33 octet-aligned; AMR-WB 12.65 kbit/s, 33 bytes bandwidth-efficient).
struct RTPWorkload: ~Copyable {
    static let headerBytes = 12
    static let samplesPerPacket: Int64 = 160

    let codec: AudioCodec
    let payloadBytes: Int
    let packetSize: Int
    let count: Int
    let streams: Int
    let bytes: UnsafeMutableRawPointer
    let streamIndex: UnsafeMutablePointer<Int32>
    let arrival: UnsafeMutablePointer<Int64>
    /// Packets whose arrival was swapped with the next one of the same stream.
    let reordered: Int

    /// - Parameter reorderEvery: one packet in this many (per stream) arrives after its successor.
    /// - Parameter loseEvery: one packet in this many (per stream) is lost on the way (0: none): it arrives
    ///   with a payload type the stream did not negotiate, which the reassembler drops at once, so its
    ///   sequence number and its place on the timeline stay empty.
    init(count: Int, streams: Int, reorderEvery: Int, codec: AudioCodec = .pcmu, loseEvery: Int = 0) {
        self.codec = codec
        switch codec {
        case .g729: payloadBytes = 20
        case .amr: payloadBytes = 32
        case .amrOctetAligned: payloadBytes = 33
        case .opus: payloadBytes = 80
        case .amrWB: payloadBytes = 33
        default: payloadBytes = codec.g726Bits.map { 160 * $0 / 8 } ?? 160
        }
        packetSize = Self.headerBytes + payloadBytes
        self.count = count
        self.streams = streams
        bytes = .allocate(byteCount: count * packetSize, alignment: 64)
        streamIndex = .allocate(capacity: count)
        arrival = .allocate(capacity: count)
        var random = LCG(state: 0x5EED_CAFE)
        let perStream = count / streams
        var swaps = 0
        // Per-stream sender state; timestamps start near the 32-bit wrap and sequence numbers at random,
        // so both wrap during the run.
        var sequenceStart = [UInt16](), timestampStart = [UInt32](), ssrc = [UInt32]()
        for s in 0..<streams {
            sequenceStart.append(UInt16(truncatingIfNeeded: random.next() >> 40))
            timestampStart.append(UInt32.max - UInt32(s + 1) * 1_000_000)
            ssrc.append(UInt32(truncatingIfNeeded: random.next() >> 16))
        }
        // The order in which each stream's packets arrive: 0, 1, 2, … with pairs swapped now and then.
        var order = [Int](0..<perStream)
        var k = 0
        while k + 1 < perStream {
            if random.next(below: reorderEvery) == 0 {
                order.swapAt(k, k + 1)
                swaps += 1
                k += 2
            } else {
                k += 1
            }
        }
        reordered = swaps
        var payloadNoise = LCG(state: 0x0711)
        let opus = codec == .opus ? Self.opusPackets(size: payloadBytes) : []
        for i in 0..<count {
            let s = i % streams
            let slot = i / streams
            // Packets beyond whole rounds (count not divisible by streams) repeat the last slot.
            let n = order[min(slot, perStream - 1)]
            let sequence = sequenceStart[s] &+ UInt16(truncatingIfNeeded: n)
            let timestamp = timestampStart[s] &+ UInt32(truncatingIfNeeded: n * 20 * codec.clockRate / 1000)
            let p = bytes + i * packetSize
            p.storeBytes(of: 0x80, toByteOffset: 0, as: UInt8.self)
            p.storeBytes(of: (n == 0 ? 0x80 : 0x00) | (codec.staticPayloadType ?? 96), toByteOffset: 1, as: UInt8.self)  // marker, PT
            p.storeBytes(of: sequence.bigEndian, toByteOffset: 2, as: UInt16.self)
            p.storeBytes(of: timestamp.bigEndian, toByteOffset: 4, as: UInt32.self)
            p.storeBytes(of: ssrc[s].bigEndian, toByteOffset: 8, as: UInt32.self)
            for j in 0..<payloadBytes {
                p.storeBytes(of: UInt8(truncatingIfNeeded: payloadNoise.next() >> 56), toByteOffset: 12 + j, as: UInt8.self)
            }
            Self.frameAMR(p + Self.headerBytes, codec: codec)
            if !opus.isEmpty { (p + Self.headerBytes).copyMemory(from: opus[n % opus.count], byteCount: payloadBytes) }
            if loseEvery > 0, n > 0, n % loseEvery == 0 { p.storeBytes(of: 127, toByteOffset: 1, as: UInt8.self) }
            streamIndex[i] = Int32(s)
            // The k-th arrival of stream s: 20 ms apart, streams offset by 5 ms, ±1 ms of jitter.
            arrival[i] = Int64(slot) * Self.samplesPerPacket + Int64(s) * 40 + Int64(random.next(below: 17)) - 8 + 16
        }
    }

    /// 50 packets of 20 ms of a gliding tone from libopus's encoder (48 kHz mono, VoIP), each padded to `size`
    /// bytes (RFC 6716 padding, which decoders skip).
    private static func opusPackets(size: Int) -> [[UInt8]] {
        var error: Int32 = 0
        let encoder = opus_encoder_create(48_000, 1, OPUS_APPLICATION_VOIP, &error)!
        defer { opus_encoder_destroy(encoder) }
        return (0..<50).map { index in
            let pcm = (0..<960).map { i in Int16(8000 * sin(Double(index * 960 + i) * (0.03 + Double(index) * 0.001))) }
            var packet = [UInt8](repeating: 0, count: size)
            let length = opus_encode(encoder, pcm, 960, &packet, Int32(size))
            guard length > 0, opus_packet_pad(&packet, length, Int32(size)) == OPUS_OK else { fatalError("opus_encode: \(length)") }
            return packet
        }
    }

    /// Gives an AMR payload of noise its CMR (15: none) and one ToC entry (last, 12.2 kbit/s, good);
    /// the 244 speech bits stay noise, the padding zero.
    private static func frameAMR(_ payload: UnsafeMutableRawPointer, codec: AudioCodec) {
        let p = payload.assumingMemoryBound(to: UInt8.self)
        switch codec {
        case .amrOctetAligned:
            p[0] = 0xF0
            p[1] = 7 << 3 | 0x04
            p[32] &= 0xF0
        case .amr:
            p[0] = 0xF0 | 7 >> 1   // CMR 15, F 0, the first three bits of FT 7
            p[1] = 0x80 | 0x40 | (p[1] & 0x3F)
            p[31] &= 0xFC
        case .amrWB:
            p[0] = 0xF0 | 2 >> 1   // AMR-WB 12.65 kbit/s (FT 2, 253 bits), bandwidth-efficient
            p[1] = 0x40 | (p[1] & 0x3F)
            p[32] &= 0xFE
        default: break
        }
    }

    deinit {
        bytes.deallocate()
        streamIndex.deallocate()
        arrival.deallocate()
    }
}

struct ReassemblerRun {
    var packets: Int
    var wallNanos: Int64
    var cpuNanos: Int64
    /// Wall time spent in receive + advance only (the drain excluded).
    var receiveNanos: Int64
    var allocations: UInt64
    var late: Int64
    var duplicates: Int64
    var overflows: Int64
    /// Payloads the decoder refused (a workload that is not valid for its codec).
    var malformed: Int64 = 0
    var lost: Int64
    var samplesRead: Int64
    /// Samples the decoders' concealment filled (with `concealsLoss`).
    var concealed: Int64 = 0
}

/// Times the capture thread's work on a prebuilt workload: `receive` for every datagram, `advance` on
/// every stream each `batch` packets, then (outside the receive timer, inside the total) a consumer
/// reading every released sample the way the encoder does (pairs of streams into one interleaved buffer).
/// `edgeEveryBatches`: every that many batches each stream gets a pause or resume edge stamped inside the
/// batch (0: none), so the timed loop includes the gate's edges, spans and silencing.
/// `sampleRate`: the master's rate the streams' timelines run at (the workload's arrivals are 8 kHz positions).
/// `srtp`: the workload protected under that suite's offer first, then opened by the data plane's
/// ``StreamDecryption`` (copy, authenticate, replay check, decrypt in place) before each reassembler.
func runReassembler(_ workload: borrowing RTPWorkload, batch: Int, warmup: Int, edgeEveryBatches: Int = 0,
                    sampleRate: Int = 8_000, concealsLoss: Bool = false, srtp: SRTPSuite? = nil) -> ReassemblerRun {
    let streams = workload.streams
    let payloads = StreamPayloads(audioPayloadType: workload.codec.staticPayloadType ?? 96, codec: workload.codec)
    // Decoders are made here, when the streams open, as the daemon does: never in the timed loop.
    let reassemblers = (0..<streams).map { _ in
        try! StreamReassembler(payloads: payloads,
                          decoders: StreamDecoders(for: payloads, factory: CodecLibraries(), sampleRate: sampleRate, concealsLoss: concealsLoss),
                          timing: ReassemblyTiming().at(rate: sampleRate))
    }
    let factor = Int64(sampleRate / 8_000)
    let scratchFrames = 65536
    let scratch = UnsafeMutablePointer<Int16>.allocate(capacity: scratchFrames * 2)
    scratch.initialize(repeating: 0, count: scratchFrames * 2)
    defer { scratch.deallocate() }
    var consumed = [Int64](repeating: 0, count: streams)
    var samplesRead: Int64 = 0

    let bytes = UnsafeRawPointer(workload.bytes)
    let streamIndex = workload.streamIndex
    let arrival = workload.arrival
    let size = workload.packetSize
    let secure = srtp.map { SecureWorkload(workload, suite: $0, reassemblers: reassemblers) }

    @inline(__always)
    func receive(_ i: Int) {
        let t = arrival[i]
        let stream = Int(streamIndex[i])
        if let secure {
            guard case .rtp(let plain) = secure.decryptions[stream].open(secure.datagram(i), in: secure.scratch) else { return }
            reassemblers[stream].receive(plain, arrival: t &* factor, arrivalNanos: t &* 125_000)
            return
        }
        reassemblers[stream].receive(UnsafeRawBufferPointer(start: bytes + i * size, count: size),
                                     arrival: t &* factor, arrivalNanos: t &* 125_000)
    }

    @inline(__always)
    func advance(now: Int64) {
        for r in reassemblers { r.advance(now: now &* factor, horizonNanos: now &* 125_000) }
    }

    /// Reads what each pair of streams has released (caller left, callee right), as the encoder does.
    @inline(__always)
    func drain() {
        var s = 0
        while s + 1 < streams {
            let a = reassemblers[s].ring, b = reassemblers[s + 1].ring
            let ready = min(reassemblers[s].readable(consumer: consumed[s]), reassemblers[s + 1].readable(consumer: consumed[s + 1]),
                            Int64(scratchFrames))
            if ready > 0 {
                a.read(into: scratch, count: Int(ready), stride: 2)
                b.read(into: scratch + 1, count: Int(ready), stride: 2)
                consumed[s] += ready
                consumed[s + 1] += ready
                samplesRead += 2 * ready
            }
            s += 2
        }
    }

    // Warm-up (untimed): anchors the timelines, initialises lazy globals (the G.711 tables), faults in
    // the rings.
    var i = 0
    while i < warmup {
        let end = min(i + batch, warmup)
        while i < end { receive(i); i += 1 }
        advance(now: arrival[end - 1])
        drain()
    }

    let count = workload.count
    var receiveNanos: Int64 = 0
    let allocations0 = Measure.allocations()
    let cpu0 = Measure.cpu()
    let wall0 = Measure.wall()
    var batches = 0, accepting = true
    while i < count {
        let end = min(i + batch, count)
        let b0 = Measure.wall()
        batches += 1
        if edgeEveryBatches > 0, batches % edgeEveryBatches == 0 {
            // Stamped half-way through the batch's arrivals; reaches the "capture thread" before them.
            accepting.toggle()
            let at = arrival[(i + end) / 2]
            for r in reassemblers { r.schedule(AdmissionGate.Edge(nanos: at &* 125_000, position: at &* factor, accepting: accepting)) }
        }
        while i < end { receive(i); i += 1 }
        advance(now: arrival[end - 1])
        receiveNanos += Measure.wall() - b0
        drain()
    }
    let wall1 = Measure.wall()
    let cpu1 = Measure.cpu()
    let allocations1 = Measure.allocations()

    var run = ReassemblerRun(packets: count - warmup, wallNanos: wall1 - wall0, cpuNanos: cpu1 - cpu0,
                             receiveNanos: receiveNanos, allocations: allocations1 - allocations0,
                             late: 0, duplicates: 0, overflows: 0, lost: 0, samplesRead: samplesRead)
    for r in reassemblers {
        let stats = StreamStatistics(r.counters)
        run.late += stats.late
        run.duplicates += stats.duplicates
        run.overflows += stats.overflows
        run.malformed += stats.malformed
        run.lost += stats.lost
        run.concealed += stats.concealedSamples
        run.malformed += stats.authFailed + stats.replayed
    }
    return run
}
