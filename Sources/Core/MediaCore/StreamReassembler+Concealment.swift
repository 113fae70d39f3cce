/// Codec concealment (`[media] concealment = "codec"`): a decoded codec's packets go through its decoder in
/// timestamp order. A packet that arrives after a gap is held (``HeldPackets``) until the packets of the gap
/// arrive or the gap is due for release; then what never came is concealed by the decoder — bcg729's and
/// opencore's frame erasure, libopus's PLC and its in-band FEC from the packet after the loss — and the held
/// packets are decoded after it. Only sequence numbers that never arrived are concealed: a gap in the audio
/// with contiguous sequence numbers is the sender's silence (DTX, Annex B, a DTMF event without audio) and
/// stays silent, as do losses of more than a second and losses at a codec change.
extension StreamReassembler {
    /// The longest loss concealed, in seconds of audio: longer ones are a dead path, not a lost packet.
    static let longestConcealedSeconds = 1

    /// A decoded packet placed at `position`, under codec concealment.
    func decodeInOrder(_ packet: RTPPacket, payload: UnsafeRawBufferPointer, position: Int64, samples: Int,
                       decoder: AudioFrameDecoder, held: HeldPackets, restarted: Bool) -> StreamRing.WriteOutcome {
        if restarted {
            // A new source or a resynchronised timeline: what is held belongs before it; nothing is concealed across.
            while !held.isEmpty { decodeHeldPacket(held.removeFirst(), from: held, conceal: false) }
            state.pointee.decodedEnd = -1
        }
        let outcome = ring.claim(position: position, count: samples)
        guard outcome == .written else { return outcome }
        let decodedEnd = state.pointee.decodedEnd
        // Its place was concealed (or already decoded around): too late for the decoder.
        if decodedEnd >= 0, position < decodedEnd { return .late }
        if decodedEnd >= 0, position > decodedEnd, decodedEnd >= ring.released,
           held.hold(payload, position: position, samples: samples, sequence: packet.sequenceNumber, decoder: decoder) {
            return .written
        }
        // Next in line (or not holdable): what is held before it goes first.
        while let first = held.first, first.position < position { decodeHeldPacket(held.removeFirst(), from: held, conceal: true) }
        decode(payload, at: position, samples: samples, sequence: packet.sequenceNumber, decoder: decoder, conceal: true)
        decodeContiguous(held)
        return .written
    }

    /// Before audio up to `target` is released: every held packet whose gap starts before it is decoded,
    /// the gap concealed first (its packets can no longer be used).
    func decodeHeld(_ held: HeldPackets, dueBefore target: Int64) {
        while held.first != nil, state.pointee.decodedEnd < target {
            decodeHeldPacket(held.removeFirst(), from: held, conceal: true)
            decodeContiguous(held)
        }
    }

    /// A telephone-event or comfort-noise packet: its sequence number is not a lost audio packet.
    func noteNonAudio(_ packet: RTPPacket) {
        guard let held = state.pointee.held, held.isEmpty else { return }
        if Int16(bitPattern: packet.sequenceNumber &- state.pointee.lastSequence) > 0 { state.pointee.lastSequence = packet.sequenceNumber }
    }

    private func decodeContiguous(_ held: HeldPackets) {
        while let first = held.first, first.position == state.pointee.decodedEnd {
            decodeHeldPacket(held.removeFirst(), from: held, conceal: false)
        }
    }

    private func decodeHeldPacket(_ packet: HeldPackets.Packet, from held: HeldPackets, conceal: Bool) {
        guard let decoder = packet.decoder else { return }
        decode(held.payload(of: packet), at: packet.position, samples: packet.samples, sequence: packet.sequence,
               decoder: decoder, conceal: conceal)
    }

    /// Queues one payload's decoding into its claimed place (the decoder is told of a discontinuity when it
    /// does not continue the last one), the loss before it concealed first when `conceal`. The encoder lane
    /// runs it (``DecodeQueue``); a full queue drops the payload, counted like a full ring.
    func decode(_ payload: UnsafeRawBufferPointer, at position: Int64, samples: Int, sequence: UInt16,
                decoder: AudioFrameDecoder, conceal: Bool) {
        let concealFrom = conceal ? concealmentStart(before: position, sequence: sequence, codec: decoder.codec) : -1
        if !decodeQueue.decode(payload, at: position, samples: samples, codec: decoder.codec, concealFrom: concealFrom) {
            counters.bump(counters.overflows)
            if let totals { totals.bump(totals.ringFull) }
        }
        state.pointee.decodedEnd = position + Int64(samples)
        state.pointee.lastSequence = sequence
        state.pointee.lastCodec = decoder.codec
    }

    /// Where the concealment of packets lost before the payload at `position` starts (the end of the last
    /// payload decoded), or -1 when there is nothing to conceal: no sequence number is missing, the gap is
    /// longer than a second, already released, or at a codec change.
    private func concealmentStart(before position: Int64, sequence: UInt16, codec: AudioCodec) -> Int64 {
        let at = state.pointee.decodedEnd
        guard at >= 0, at >= ring.released, position > at,
              position - at <= Int64(timing.sampleRate * StreamReassembler.longestConcealedSeconds),
              state.pointee.lastCodec == codec,
              Int16(bitPattern: sequence &- state.pointee.lastSequence) > 1 else { return -1 }
        return at
    }
}
