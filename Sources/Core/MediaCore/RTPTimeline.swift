/// Maps one RTP stream's timestamps onto the recording's timeline (positions in samples).
///
/// A stream is anchored to the arrival position of its first packet; afterwards each packet is placed
/// by its timestamp (32-bit wrap handled by extending relative to the newest timestamp), so reordering
/// and jitter do not move audio. Arrival time is only consulted to catch discontinuities:
/// a placement that disagrees with arrival by more than `jumpThreshold` (a timestamp jump, a sender that
/// stopped its clock during a hold, a new SSRC) re-anchors the stream, never over audio already placed;
/// so does a newer packet whose timestamp steps back into audio already placed.
/// Arrival positions come from the caller, so a ten-minute gap is tested with a virtual clock.
///
/// Positions are samples at the recording's rate (8000, 16000 or 48000 a second). A packet's timestamps
/// are scaled by its codec's ``ClockScale`` (Opus's 48000 Hz clock onto an 8 kHz timeline: divided by 6;
/// G.711's 8000 Hz onto a 16 kHz one: doubled) after extending them, so the 32-bit wrap stays exact; a
/// packet whose scale differs from the stream's so far (an SRC that moved from Opus to G.711) re-anchors
/// the stream like a new SSRC would, where it would continue.
public struct RTPTimeline: Sendable {
    /// How far placement and arrival may disagree before the stream is re-anchored (samples).
    public var jumpThreshold: Int64

    public private(set) var isAnchored = false
    public private(set) var ssrc: UInt32 = 0
    /// Times the stream was re-anchored because of a timestamp discontinuity.
    public private(set) var resynchronisations = 0
    /// Times a new SSRC continued the stream.
    public private(set) var ssrcChanges = 0
    /// End of the furthest audio placed (samples).
    public private(set) var end: Int64 = 0
    /// How the current mapping turns RTP timestamp units into positions.
    public private(set) var scale = ClockScale.identity

    private var newestTimestamp: UInt32 = 0
    private var newestExtended: Int64 = 0
    private var newestSequence: UInt16 = 0
    /// End of the audio of the newest packet by sequence number.
    private var newestEnd: Int64 = 0
    private var offset: Int64 = 0
    /// The mapping of the SSRC before the last change, so its stragglers still land in place.
    private var previous: (ssrc: UInt32, timestamp: UInt32, extended: Int64, offset: Int64, scale: ClockScale)?

    public init(jumpThreshold: Int64) {
        self.jumpThreshold = jumpThreshold
    }

    /// The timeline position of a packet carrying `samples` samples (at the timeline's rate), or nil when it
    /// is too old to place (a straggler from before a re-anchoring). `scale`: the packet's RTP clock onto
    /// the timeline.
    public mutating func place(ssrc: UInt32, sequence: UInt16, timestamp: UInt32, samples: Int, arrival: Int64,
                               scale: ClockScale = .identity) -> Int64? {
        guard isAnchored else {
            return anchor(ssrc: ssrc, sequence: sequence, timestamp: timestamp, at: arrival, samples: samples, scale: scale)
        }
        if ssrc != self.ssrc {
            if let previous, previous.ssrc == ssrc, previous.scale == scale {
                // A straggler of the SSRC we just left: place it with that SSRC's mapping.
                let extended = previous.extended + Int64(Int32(bitPattern: timestamp &- previous.timestamp))
                let position = scale.position(extended) + previous.offset
                return abs(position - arrival) <= jumpThreshold ? position : nil
            }
            ssrcChanges += 1
            previous = (self.ssrc, newestTimestamp, newestExtended, offset, self.scale)
            return anchor(ssrc: ssrc, sequence: sequence, timestamp: timestamp, at: continuation(arrival, samples: samples),
                          samples: samples, scale: scale)
        }
        let sequenceAdvances = Int16(bitPattern: sequence &- newestSequence) > 0
        if scale != self.scale {
            // Another RTP clock (a codec change across clock rates): the timestamps no longer compare.
            guard sequenceAdvances else { return nil }
            resynchronisations += 1
            return anchor(ssrc: ssrc, sequence: sequence, timestamp: timestamp, at: continuation(arrival, samples: samples),
                          samples: samples, scale: scale)
        }
        let delta = Int64(Int32(bitPattern: timestamp &- newestTimestamp))
        let extended = newestExtended + delta
        let position = scale.position(extended) + offset
        // A newer packet whose audio would start inside its predecessor's is a timestamp step backwards.
        let stepsBack = sequenceAdvances && position < newestEnd
        if stepsBack || abs(position - arrival) > jumpThreshold {
            // A packet that is older than the newest one by sequence is a straggler, not a jump.
            guard sequenceAdvances else { return nil }
            resynchronisations += 1
            return anchor(ssrc: ssrc, sequence: sequence, timestamp: timestamp, at: continuation(arrival, samples: samples),
                          samples: samples, scale: scale)
        }
        if delta > 0 {
            newestTimestamp = timestamp
            newestExtended = extended
        }
        if sequenceAdvances {
            newestSequence = sequence
            newestEnd = position + Int64(samples)
        }
        end = max(end, position + Int64(samples))
        return position
    }

    /// Where audio that resumes at `arrival` goes: never over audio already placed, and otherwise a
    /// whole number of packets after the stream's end, so arrival jitter under half a packet leaves no
    /// gap while a packet still in flight keeps its slot.
    private func continuation(_ arrival: Int64, samples: Int) -> Int64 {
        guard arrival > end else { return end }
        let packet = Int64(max(1, samples))
        return end + (arrival - end + packet / 2) / packet * packet
    }

    private mutating func anchor(ssrc: UInt32, sequence: UInt16, timestamp: UInt32, at position: Int64, samples: Int,
                                 scale: ClockScale) -> Int64 {
        isAnchored = true
        self.ssrc = ssrc
        self.scale = scale
        newestTimestamp = timestamp
        newestSequence = sequence
        newestExtended = Int64(timestamp)
        offset = position - scale.position(Int64(timestamp))
        newestEnd = position + Int64(samples)
        end = max(end, position + Int64(samples))
        return position
    }
}

extension RTPTimeline {
    /// The position a timestamp of the current SSRC maps to, without moving the stream
    /// (for telephone-events, whose timestamp is the event's start).
    public func position(of timestamp: UInt32) -> Int64? {
        guard isAnchored else { return nil }
        return scale.position(newestExtended + Int64(Int32(bitPattern: timestamp &- newestTimestamp))) + offset
    }
}
