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

    /// Decodes one payload into its claimed place (told of a discontinuity when it does not continue the last
    /// one), concealing the loss before it first when `conceal`.
    func decode(_ payload: UnsafeRawBufferPointer, at position: Int64, samples: Int, sequence: UInt16,
                        decoder: AudioFrameDecoder, conceal: Bool) {
        if conceal { concealLoss(before: position, next: payload, sequence: sequence, decoder: decoder) }
        if position != state.pointee.decodedEnd { decoder.discontinuity() }
        ring.store(position: position, samples: decoder.decode(payload))
        state.pointee.decodedEnd = position + Int64(samples)
        state.pointee.lastSequence = sequence
        state.pointee.lastCodec = decoder.codec
    }

    /// Fills `[decodedEnd, position)` with the decoder's concealment when packets were lost there.
    private func concealLoss(before position: Int64, next: UnsafeRawBufferPointer, sequence: UInt16, decoder: AudioFrameDecoder) {
        var at = state.pointee.decodedEnd
        guard at >= ring.released, position > at, position - at <= Int64(timing.sampleRate * StreamReassembler.longestConcealedSeconds),
              state.pointee.lastCodec == decoder.codec,
              Int16(bitPattern: sequence &- state.pointee.lastSequence) > 1 else { return }
        while at < position {
            guard let audio = decoder.conceal(Int(position - at), before: next), audio.count > 0 else { break }
            let count = min(audio.count, Int(position - at))
            ring.store(position: at, samples: UnsafeBufferPointer(rebasing: audio[0..<count]))
            at += Int64(count)
        }
        let concealed = at - state.pointee.decodedEnd
        if concealed > 0 {
            counters.bump(counters.concealedSamples, by: concealed)
            state.pointee.decodedEnd = at
        }
    }
}
