import MediaCore

/// A scripted RTP stream: N packets of `samplesPerPacket` samples and the network's misbehaviour,
/// rendered as datagrams with arrival positions (samples on the recording's virtual clock).
///
/// Every packet has a *nominal position*: where a listener should hear it on the recording. It starts at
/// `firstArrival` and advances by the packet length, plus any `gaps` (a hold: nothing is sent and the
/// clock moves on). Arrival is the nominal position plus delay and jitter; the RTP timestamp follows the
/// nominal position unless a `timestampJumps` entry or a gap with a frozen clock says otherwise.
/// So the expected recording is always "each delivered packet's audio at its nominal position".
public struct RTPStreamScript: Sendable {
    /// One datagram as it reaches the recorder.
    public struct Datagram: Sendable {
        public var bytes: [UInt8]
        /// Arrival position on the virtual clock (samples).
        public var arrival: Int64
        /// Index of the packet in the script (several datagrams may share one: duplicates).
        public var index: Int
    }

    /// A new SSRC (a re-INVITE, a media server failover): new random-looking sequence and timestamp bases.
    public struct SSRCChange: Sendable {
        public var index: Int, ssrc: UInt32, sequence: UInt16, timestamp: UInt32
        public init(index: Int, ssrc: UInt32, sequence: UInt16, timestamp: UInt32) {
            self.index = index; self.ssrc = ssrc; self.sequence = sequence; self.timestamp = timestamp
        }
    }

    /// A pause in sending before a packet: the clock (and nominal position) advance by `samples`.
    /// With `timestampFollows` this is also "a timestamp jump with a matching arrival jump".
    public struct Gap: Sendable {
        public var index: Int, samples: Int64
        /// True when the sender's RTP clock kept running during the gap (timestamps jump by the gap too).
        public var timestampFollows: Bool
        public init(before index: Int, samples: Int64, timestampFollows: Bool = true) {
            self.index = index; self.samples = samples; self.timestampFollows = timestampFollows
        }
    }

    public var packetCount: Int
    public var samplesPerPacket = 160
    public var codec: AudioCodec = .pcmu
    public var payloadType: UInt8 = 0
    public var firstArrival: Int64 = 0
    public var startSequence: UInt16 = 1000
    public var startTimestamp: UInt32 = 160_000
    public var ssrc: UInt32 = 0xCAFE_0001
    /// Packets never delivered.
    public var lost: Set<Int> = []
    /// Packets delivered twice (the copy right after the original).
    public var duplicated: Set<Int> = []
    /// Packets delivered after the next `k` packets (index → k).
    public var delayed: [Int: Int] = [:]
    public var ssrcChange: SSRCChange? = nil
    /// From each index on, timestamps are offset by this many samples while arrival is unchanged.
    public var timestampJumps: [Int: Int64] = [:]
    public var gaps: [Gap] = []
    /// Each arrival after the first is late by a reproducible random 0…jitter samples.
    public var jitter: Int64 = 0
    public var seed: UInt64 = 1

    public init(packetCount: Int) { self.packetCount = packetCount }

    /// Swaps the arrival order of packet `i` and `i + 1`.
    public mutating func swapPair(at i: Int) { delayed[i] = 1 }

    /// The payload codes of packet `index` (pseudo-random, different for every packet).
    public func payload(of index: Int) -> [UInt8] {
        SignalGenerator.noise(count: samplesPerPacket, seed: seed &* 1_000_003 &+ UInt64(index))
    }

    /// Where the packet's audio should be heard.
    public func nominalPosition(of index: Int) -> Int64 {
        var position = firstArrival + Int64(index * samplesPerPacket)
        for gap in gaps where gap.index <= index { position += gap.samples }
        return position
    }

    /// Sequence number, timestamp and SSRC the sender puts on packet `index`.
    public func header(of index: Int) -> (sequence: UInt16, timestamp: UInt32, ssrc: UInt32) {
        var timestampOffset = Int64(index * samplesPerPacket)
        for gap in gaps where gap.index <= index && gap.timestampFollows { timestampOffset += gap.samples }
        for (at, jump) in timestampJumps where at <= index { timestampOffset += jump }
        if let change = ssrcChange, index >= change.index {
            let own = timestampOffset - offsetAtChange(change)
            return (change.sequence &+ UInt16(truncatingIfNeeded: index - change.index),
                    change.timestamp &+ UInt32(truncatingIfNeeded: own), change.ssrc)
        }
        return (startSequence &+ UInt16(truncatingIfNeeded: index),
                startTimestamp &+ UInt32(truncatingIfNeeded: timestampOffset), ssrc)
    }

    private func offsetAtChange(_ change: SSRCChange) -> Int64 {
        var offset = Int64(change.index * samplesPerPacket)
        for gap in gaps where gap.index <= change.index && gap.timestampFollows { offset += gap.samples }
        for (at, jump) in timestampJumps where at <= change.index { offset += jump }
        return offset
    }

    /// The datagram of packet `index`.
    public func datagram(of index: Int) -> [UInt8] {
        let h = header(of: index)
        return RTPPacketBuilder(payloadType: payloadType, sequenceNumber: h.sequence, timestamp: h.timestamp,
                                ssrc: h.ssrc, marker: index == 0, payload: payload(of: index)).build()
    }

    /// All datagrams in arrival order.
    public func datagrams() -> [Datagram] {
        var generator = SeededGenerator(seed: seed ^ 0x5EED)
        var keyed: [(arrival: Int64, order: Int, datagram: Datagram)] = []
        for index in 0..<packetCount where !lost.contains(index) {
            var arrival = nominalPosition(of: index)
            var order = index * 4
            if let k = delayed[index] {
                let after = min(index + k, packetCount - 1)
                arrival = nominalPosition(of: after)
                order = after * 4 + 1
            }
            // The first packet arrives on time: it anchors the stream, so its nominal position is its arrival.
            if jitter > 0 && index > 0 { arrival += Int64(generator.next() % UInt64(jitter + 1)) }
            let bytes = datagram(of: index)
            keyed.append((arrival, order, Datagram(bytes: bytes, arrival: arrival, index: index)))
            if duplicated.contains(index) {
                keyed.append((arrival, order + 2, Datagram(bytes: bytes, arrival: arrival, index: index)))
            }
        }
        keyed.sort { ($0.arrival, $0.order) < ($1.arrival, $1.order) }
        return keyed.map(\.datagram)
    }

    /// The end of the last packet's nominal audio.
    public var end: Int64 { nominalPosition(of: packetCount - 1) + Int64(samplesPerPacket) }

    /// What the recording should hold from position 0 to `length`: each packet's reference decode at its
    /// nominal position, silence elsewhere. `excluding` lists packets expected to be missing beyond `lost`.
    public func expectedTimeline(length: Int64, excluding: Set<Int> = []) -> [Int16] {
        var timeline = [Int16](repeating: 0, count: Int(length))
        for index in 0..<packetCount where !lost.contains(index) && !excluding.contains(index) {
            let start = Int(nominalPosition(of: index))
            for (offset, code) in payload(of: index).enumerated() where start + offset < timeline.count {
                timeline[start + offset] = G711Reference.decode(code, codec)
            }
        }
        return timeline
    }
}
