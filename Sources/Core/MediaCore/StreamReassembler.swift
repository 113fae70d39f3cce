/// Timing parameters of the reassembler, in samples at `sampleRate`.
public struct ReassemblyTiming: Sendable, Equatable {
    /// The timeline's rate: the recording master's (8000, 16000 or 48000 samples a second).
    public var sampleRate: Int
    /// Audio is held this long for late packets before the encoder may read it.
    public var reorderWindow: Int64
    /// Disagreement between timestamp and arrival that counts as a discontinuity.
    public var jumpThreshold: Int64
    /// Ring capacity (rounded up to a power of two).
    public var ringCapacity: Int

    public init(reorderWindow: Int64 = 1600, jumpThreshold: Int64 = 8000, ringCapacity: Int = 65536, sampleRate: Int = 8_000) {
        self.reorderWindow = reorderWindow
        self.jumpThreshold = jumpThreshold
        self.ringCapacity = ringCapacity
        self.sampleRate = sampleRate
    }

    /// The same durations on a timeline of `rate` samples a second (these are at 8 kHz).
    public func at(rate: Int) -> ReassemblyTiming {
        let factor = max(1, rate / sampleRate)
        return ReassemblyTiming(reorderWindow: reorderWindow * Int64(factor), jumpThreshold: jumpThreshold * Int64(factor),
                                ringCapacity: ringCapacity * factor, sampleRate: sampleRate * factor)
    }
}

/// The capture side of one RTP stream: classifies each packet by its payload type, places it on the
/// timeline and decodes it into the stream's ring in one pass, and decides by arrival time (the
/// ``AdmissionGate``) which of it the recording keeps. Allocates nothing per packet.
public final class StreamReassembler: @unchecked Sendable {
    // @unchecked: mutable state is used only by the capture thread; other threads read the atomic
    // `counters`, the ring through its consumer API, and `dtmf` only after `close`.

    public let ring: StreamRing
    public let counters = StreamCounters()
    /// The decoding of codecs other than G.711 into the ring, run by the ring's consumer.
    let decodeQueue: DecodeQueue
    /// Process-wide totals this stream also counts into.
    let totals: CaptureTotals?
    let timing: ReassemblyTiming
    /// Everything `receive` changes, behind one pointer: class properties would cost a dynamic
    /// exclusivity check per access (measured: ~40 ns of a ~200 ns packet).
    let state: UnsafeMutablePointer<ReceiveState>

    struct ReceiveState {
        var payloads: StreamPayloads
        var decoders: StreamDecoders
        var gate: AdmissionGate
        var isClosed = false
        var timeline: RTPTimeline
        var dtmf = DTMFLog()
        var expectedSequence: UInt16 = 0
        var sequenceStarted = false
        /// Where the last decoded payload's audio ended: a payload that does not start there follows a gap.
        var decodedEnd: Int64 = -1
        /// Under codec concealment: packets waiting for a gap before them (nil: decoded as they arrive).
        var held: HeldPackets?
        /// Under codec concealment: the last packet decoded (or non-audio packet seen), and its codec.
        var lastSequence: UInt16 = 0
        var lastCodec: AudioCodec?
    }

    /// Payload types; replaced by the capture thread when a re-INVITE renegotiates.
    public var payloads: StreamPayloads {
        get { state.pointee.payloads }
        set { state.pointee.payloads = newValue }
    }

    /// A renegotiation on the capture thread: the new payload types, and decoders for the codecs that have
    /// none yet (those already running keep their state).
    public func renegotiate(_ payloads: StreamPayloads, decoders: StreamDecoders) {
        state.pointee.payloads = payloads
        state.pointee.decoders = state.pointee.decoders.adding(decoders)
        decodeQueue.install(state.pointee.decoders)
    }

    /// Whether a packet arriving now is recorded (false while the stream is paused, muted or held).
    public var isAccepting: Bool { state.pointee.gate.accepting }

    /// Whether the stream records from its start (false: an offer that is inactive from the start).
    /// Before the first packet only; later changes go through ``schedule(_:)``.
    public func startAccepting(_ accepting: Bool) {
        state.pointee.gate = AdmissionGate(accepting: accepting, from: state.pointee.timeline.end)
    }

    public var dtmf: DTMFLog { state.pointee.dtmf }
    public var timeline: RTPTimeline { state.pointee.timeline }
    public var isClosed: Bool { state.pointee.isClosed }
    /// The silent spans still to be released (for tests and diagnostics).
    public var silentSpans: [AdmissionGate.Span] { state.pointee.gate.spans }

    /// `decoders`: for the codecs of `payloads` other than G.711 (without one, such packets count as a
    /// payload type the stream cannot use).
    /// Throws when the system will not map the stream's buffers (the call is refused; nothing else is affected).
    public init(payloads: StreamPayloads, decoders: StreamDecoders = StreamDecoders(), timing: ReassemblyTiming,
                origin: Int64 = 0, totals: CaptureTotals? = nil) throws(MemoryExhausted) {
        // The ring must hold at least the reorder window and the jump threshold (plus a few packets), or
        // the producer could never get ahead of the consumer's read position. Callers add encoder lag.
        let needed = Int(timing.reorderWindow + timing.jumpThreshold) + 2_048
        ring = try StreamRing(minimumCapacity: max(timing.ringCapacity, needed), origin: origin)
        // Room for as long as the ring holds, at the highest rate of the codecs decoded.
        let rate = payloads.codecs.filter { decoders[$0] != nil }.map(\.payloadBytesPerSecond).max() ?? 1_000
        decodeQueue = try DecodeQueue(seconds: (ring.capacity + timing.sampleRate - 1) / timing.sampleRate, bytesPerSecond: rate)
        self.timing = timing
        self.totals = totals
        state = .allocate(capacity: 1)
        state.initialize(to: ReceiveState(payloads: payloads, decoders: decoders, gate: AdmissionGate(accepting: true),
                                          timeline: RTPTimeline(jumpThreshold: timing.jumpThreshold),
                                          held: decoders.concealsLoss ? HeldPackets() : nil))
        decodeQueue.install(decoders)
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// A pause, resume or end placed by the control plane at the time its message was read. Applied when
    /// a packet that arrived after it comes, or when the source has delivered what arrived before it.
    public func schedule(_ edge: AdmissionGate.Edge) {
        adjust(state.pointee.gate.schedule(edge))
    }

    /// Takes one datagram that arrived at timeline position `arrival` (monotonic `arrivalNanos`).
    public func receive(_ bytes: UnsafeRawBufferPointer, arrival: Int64, arrivalNanos: Int64) {
        guard !state.pointee.isClosed else { return }
        guard case .success(let packet) = RTPPacket.parse(bytes) else {
            counters.bump(counters.malformed)
            if let totals { totals.bump(totals.malformed) }
            return
        }
        counters.bump(counters.packets)
        counters.bump(counters.bytes, by: Int64(bytes.count))
        if let totals {
            totals.bump(totals.packets)
            totals.bump(totals.bytes, by: Int64(bytes.count))
        }
        counters.lastArrivalNanos.store(arrivalNanos, ordering: .relaxed)
        if let adjustment = state.pointee.gate.apply(through: arrivalNanos) { adjust(adjustment) }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[packet.payloadOffset..<(packet.payloadOffset + packet.payloadLength)])
        let format = state.pointee.payloads[packet.payloadType]
        switch format {
        case .pcmu, .pcma:
            let codec: AudioCodec = format == .pcmu ? .pcmu : .pcma
            if let decoder = state.pointee.decoders[codec] {
                // Into a wider master: decoded, then resampled.
                receiveDecoded(packet, payload: payload, arrival: arrival, arrivalNanos: arrivalNanos, decoder: decoder)
            } else {
                receiveAudio(packet, payload: payload, arrival: arrival, arrivalNanos: arrivalNanos,
                             codec: codec, samples: payload.count, decoder: nil)
            }
        case .telephoneEvent:
            trackSequence(packet, filledGap: false)
            noteNonAudio(packet)
            if state.pointee.gate.accepting {
                let position = state.pointee.timeline.position(of: packet.timestamp) ?? arrival
                state.pointee.dtmf.record(payload: payload, timestamp: packet.timestamp, position: position,
                                          scale: state.pointee.timeline.scale)
            } else {
                state.pointee.dtmf.withhold(payload: payload, timestamp: packet.timestamp)
                counters.bump(counters.discardedWhilePaused)
            }
        case .comfortNoise:
            trackSequence(packet, filledGap: false)
            noteNonAudio(packet)
            if state.pointee.gate.accepting {
                counters.bump(counters.comfortNoise)
            } else {
                counters.bump(counters.discardedWhilePaused)
            }
        case .unassigned:
            counters.countUnknown(payloadType: packet.payloadType)
            if let totals { totals.bump(totals.unknownPayload) }
        default:
            // Every other audio format: through the stream's decoder for its codec.
            guard let codec = format.codec, let decoder = state.pointee.decoders[codec] else {
                counters.countUnknown(payloadType: packet.payloadType)
                if let totals { totals.bump(totals.unknownPayload) }
                return
            }
            receiveDecoded(packet, payload: payload, arrival: arrival, arrivalNanos: arrivalNanos, decoder: decoder)
        }
    }

    /// A packet of a codec decoded through the stream's decoder for it.
    private func receiveDecoded(_ packet: RTPPacket, payload: UnsafeRawBufferPointer, arrival: Int64, arrivalNanos: Int64,
                                decoder: AudioFrameDecoder) {
        guard let samples = decoder.samples(in: payload) else {
            // A length no sequence of frames has: counted, and its place stays silent. It did arrive, so
            // its sequence number is not counted lost as well (unless a new source's, not yet placed).
            counters.bump(counters.malformed)
            if let totals { totals.bump(totals.malformed) }
            if state.pointee.sequenceStarted, packet.ssrc == state.pointee.timeline.ssrc { trackSequence(packet, filledGap: true) }
            return
        }
        receiveAudio(packet, payload: payload, arrival: arrival, arrivalNanos: arrivalNanos,
                     codec: decoder.codec, samples: samples, decoder: decoder)
    }

    /// `samples`: the payload's length in timeline samples; `decoder`: nil for G.711 decoded by table.
    private func receiveAudio(_ packet: RTPPacket, payload: UnsafeRawBufferPointer, arrival: Int64, arrivalNanos: Int64,
                              codec: AudioCodec, samples: Int, decoder: AudioFrameDecoder?) {
        let resyncs = state.pointee.timeline.resynchronisations, changes = state.pointee.timeline.ssrcChanges
        guard let position = state.pointee.timeline.place(ssrc: packet.ssrc, sequence: packet.sequenceNumber,
                                            timestamp: packet.timestamp, samples: samples, arrival: arrival,
                                            scale: codec.clockScale(timelineRate: timing.sampleRate))
        else {
            counters.bump(counters.late)
            if let totals { totals.bump(totals.late) }
            trackSequence(packet, filledGap: true)
            return
        }
        let restarted = state.pointee.timeline.ssrcChanges != changes || state.pointee.timeline.resynchronisations != resyncs
        if state.pointee.timeline.ssrcChanges != changes {
            state.pointee.sequenceStarted = false
            counters.bump(counters.ssrcChanges)
        }
        if state.pointee.timeline.resynchronisations != resyncs {
            state.pointee.sequenceStarted = false
            counters.bump(counters.resynchronisations)
        }
        // Written whether or not it is recorded: a pause that reaches this thread late still finds it, and
        // the gate's silent spans are applied as the audio is released.
        let outcome: StreamRing.WriteOutcome
        if let decoder, let held = state.pointee.held {
            outcome = decodeInOrder(packet, payload: payload, position: position, samples: samples, decoder: decoder,
                                    held: held, restarted: restarted)
        } else if let decoder {
            // Claimed first: a duplicate or late packet must not advance the decoder's state.
            outcome = ring.claim(position: position, count: samples)
            if outcome == .written {
                decode(payload, at: position, samples: samples, sequence: packet.sequenceNumber, decoder: decoder, conceal: false)
            }
        } else {
            outcome = ring.write(position: position, payload: payload, table: G711Tables.table(for: codec))
        }
        switch outcome {
        case .written:
            trackSequence(packet, filledGap: true)
            let recorded = state.pointee.gate.admit(nanos: arrivalNanos, start: position,
                                                    end: position + Int64(samples), ssrc: packet.ssrc)
            if recorded {
                counters.noteCodec(codec)
                if counters.firstPosition.load(ordering: .relaxed) < 0 {
                    counters.firstSSRC.store(packet.ssrc, ordering: .relaxed)
                    counters.firstPosition.store(position, ordering: .releasing)
                }
            } else {
                counters.bump(counters.discardedWhilePaused)
            }
        case .duplicate:
            counters.bump(counters.duplicates)
            if let totals { totals.bump(totals.duplicates) }
        case .late:
            counters.bump(counters.late)
            if let totals { totals.bump(totals.late) }
            trackSequence(packet, filledGap: true)
        case .overflow:
            counters.bump(counters.overflows)
            if let totals { totals.bump(totals.ringFull) }
            trackSequence(packet, filledGap: true)
        }
    }

    /// Recounts packets an edge applied after the fact moved across it.
    private func adjust(_ adjustment: AdmissionGate.Adjustment) {
        let moved = Int64(adjustment.toDiscarded - adjustment.toRecorded)
        if moved != 0 { counters.bump(counters.discardedWhilePaused, by: moved) }
        if let from = adjustment.pausedFrom {
            state.pointee.dtmf.removeEvents(from: from)
            if counters.firstPosition.load(ordering: .relaxed) >= from { counters.firstPosition.store(-1, ordering: .releasing) }
        }
        if let first = adjustment.firstRecorded {
            let known = counters.firstPosition.load(ordering: .relaxed)
            if known < 0 || first.position < known {
                counters.firstSSRC.store(first.ssrc, ordering: .relaxed)
                counters.firstPosition.store(first.position, ordering: .releasing)
            }
        }
    }

    /// Counts sequence gaps as loss (RFC 3550: expected but never received). A packet that arrives after
    /// its successors fills a gap, whether or not its audio could still be used (late packets are counted
    /// as late, not lost); duplicates are not tracked at all.
    private func trackSequence(_ packet: RTPPacket, filledGap: Bool) {
        let sequence = packet.sequenceNumber
        guard state.pointee.sequenceStarted else {
            state.pointee.sequenceStarted = true
            state.pointee.expectedSequence = sequence &+ 1
            return
        }
        let gap = Int16(bitPattern: sequence &- state.pointee.expectedSequence)
        if gap >= 0 {
            if gap > 0 { counters.bump(counters.lost, by: Int64(gap)) }
            state.pointee.expectedSequence = sequence &+ 1
            return
        }
        if filledGap, counters.lost.load(ordering: .relaxed) > 0 { counters.bump(counters.lost, by: -1) }
    }

    /// Hands audio older than the reorder window to the encoder; while no packets come (a hold, a
    /// gap), silence follows the clock a little further behind. Edges stamped up to `horizonNanos` (the
    /// source has delivered everything that arrived before it) are applied first.
    public func advance(now: Int64, horizonNanos: Int64) {
        if let adjustment = state.pointee.gate.apply(through: horizonNanos) { adjust(adjustment) }
        let byAudio = ring.highestEnd - timing.reorderWindow
        let byClock = now - timing.reorderWindow - timing.jumpThreshold
        release(upTo: max(byAudio, byClock))
    }

    /// Releases up to `target`, silencing the gate's spans first.
    private func release(upTo target: Int64) {
        if let held = state.pointee.held, !held.isEmpty { decodeHeld(held, dueBefore: target) }
        var end = ring.releasable(upTo: target)
        let released = ring.released
        guard end > released else { return }
        for span in state.pointee.gate.spans where span.from < end && span.to > released {
            // Silenced by the consumer, after the decoding queued for it; never released unsilenced.
            if !decodeQueue.silence(from: max(span.from, released), to: min(span.to, end)) {
                end = max(released, span.from)
                break
            }
        }
        guard end > released else { return }
        ring.release(upTo: end)
        state.pointee.gate.forget(before: end)
    }

    /// Places the recording's end at `nanos` (timeline `position`): what arrived after it is not recorded.
    /// Returns where the stream's recorded audio ends (at least `position`). Call once the source has
    /// delivered everything that arrived before `nanos`.
    public func end(atNanos nanos: Int64, position: Int64) -> Int64 {
        schedule(AdmissionGate.Edge(nanos: nanos, position: position, accepting: false))
        if let adjustment = state.pointee.gate.apply(through: nanos) { adjust(adjustment) }
        return max(position, state.pointee.gate.silentFrom ?? position)
    }

    // MARK: Consumer (the encoder lane)

    /// Samples released and ready to read from `consumer` on: the decoding queued for them runs first.
    /// Consumer thread only.
    public func readable(consumer: Int64) -> Int64 {
        let available = ring.readable(consumer: consumer)
        decodeQueue.run(into: ring, counters: counters)
        return available
    }

    /// Decode jobs queued and not yet run by the consumer (for tests and diagnostics).
    public var pendingDecodes: Int64 { decodeQueue.pending }

    /// Ends the stream: everything up to `end` becomes readable. Returns false while the ring
    /// still lacks room (the encoder has not caught up); call again.
    @discardableResult
    public func close(at end: Int64) -> Bool {
        state.pointee.isClosed = true
        release(upTo: end)
        return ring.released >= end
    }
}
