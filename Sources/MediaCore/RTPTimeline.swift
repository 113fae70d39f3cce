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
/// Positions are 8 kHz samples. A codec whose RTP clock runs faster (Opus: 48000 Hz) has its timestamps
/// divided by `clockDivisor` (6) — after extending them, so the 32-bit wrap stays exact; a packet whose
/// clock differs from the stream's so far (an SRC that moved from Opus to G.711) re-anchors the stream
/// like a new SSRC would, where it would continue.
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
    /// RTP timestamp units per position (per 8 kHz sample) of the current mapping.
    public private(set) var clockDivisor: Int64 = 1

    private var newestTimestamp: UInt32 = 0
    private var newestExtended: Int64 = 0
    private var newestSequence: UInt16 = 0
    /// End of the audio of the newest packet by sequence number.
    private var newestEnd: Int64 = 0
    private var offset: Int64 = 0
    /// The mapping of the SSRC before the last change, so its stragglers still land in place.
    private var previous: (ssrc: UInt32, timestamp: UInt32, extended: Int64, offset: Int64, divisor: Int64)?

    public init(jumpThreshold: Int64) {
        self.jumpThreshold = jumpThreshold
    }

    /// The timeline position of a packet carrying `samples` samples (8 kHz), or nil when it is too old to
    /// place (a straggler from before a re-anchoring). `clockDivisor`: the packet's RTP clock over 8000.
    public mutating func place(ssrc: UInt32, sequence: UInt16, timestamp: UInt32, samples: Int, arrival: Int64,
                               clockDivisor divisor: Int64 = 1) -> Int64? {
        guard isAnchored else {
            return anchor(ssrc: ssrc, sequence: sequence, timestamp: timestamp, at: arrival, samples: samples, divisor: divisor)
        }
        if ssrc != self.ssrc {
            if let previous, previous.ssrc == ssrc, previous.divisor == divisor {
                // A straggler of the SSRC we just left: place it with that SSRC's mapping.
                let extended = previous.extended + Int64(Int32(bitPattern: timestamp &- previous.timestamp))
                let position = Self.floorDivide(extended, divisor) + previous.offset
                return abs(position - arrival) <= jumpThreshold ? position : nil
            }
            ssrcChanges += 1
            previous = (self.ssrc, newestTimestamp, newestExtended, offset, clockDivisor)
            return anchor(ssrc: ssrc, sequence: sequence, timestamp: timestamp, at: continuation(arrival, samples: samples),
                          samples: samples, divisor: divisor)
        }
        let sequenceAdvances = Int16(bitPattern: sequence &- newestSequence) > 0
        if divisor != clockDivisor {
            // Another RTP clock (a codec change across clock rates): the timestamps no longer compare.
            guard sequenceAdvances else { return nil }
            resynchronisations += 1
            return anchor(ssrc: ssrc, sequence: sequence, timestamp: timestamp, at: continuation(arrival, samples: samples),
                          samples: samples, divisor: divisor)
        }
        let delta = Int64(Int32(bitPattern: timestamp &- newestTimestamp))
        let extended = newestExtended + delta
        let position = Self.floorDivide(extended, divisor) + offset
        // A newer packet whose audio would start inside its predecessor's is a timestamp step backwards.
        let stepsBack = sequenceAdvances && position < newestEnd
        if stepsBack || abs(position - arrival) > jumpThreshold {
            // A packet that is older than the newest one by sequence is a straggler, not a jump.
            guard sequenceAdvances else { return nil }
            resynchronisations += 1
            return anchor(ssrc: ssrc, sequence: sequence, timestamp: timestamp, at: continuation(arrival, samples: samples),
                          samples: samples, divisor: divisor)
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
                                 divisor: Int64) -> Int64 {
        isAnchored = true
        self.ssrc = ssrc
        clockDivisor = divisor
        newestTimestamp = timestamp
        newestSequence = sequence
        newestExtended = Int64(timestamp)
        offset = position - Self.floorDivide(Int64(timestamp), divisor)
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
        return Self.floorDivide(newestExtended + Int64(Int32(bitPattern: timestamp &- newestTimestamp)), clockDivisor) + offset
    }

    /// `value / divisor` rounded towards minus infinity (extended timestamps may go below zero).
    @inline(__always)
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        divisor == 1 ? value : (value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor))
    }
}
