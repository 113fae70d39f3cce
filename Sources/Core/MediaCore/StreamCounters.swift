import Synchronization

/// Per-stream counters written with relaxed atomics, each by one thread (the capture thread; the encoder
/// lane for `concealedSamples`, counted as it runs the stream's decode queue), and read by anyone.
public final class StreamCounters: Sendable {
    public let packets = Atomic<Int64>(0)
    public let bytes = Atomic<Int64>(0)
    /// Packets never received (sequence gaps not filled later).
    public let lost = Atomic<Int64>(0)
    /// Packets that arrived after their place on the timeline had been handed to the encoder.
    public let late = Atomic<Int64>(0)
    public let duplicates = Atomic<Int64>(0)
    /// Packets dropped because the ring was full (the encoder fell behind).
    public let overflows = Atomic<Int64>(0)
    /// Datagrams that were not usable RTP.
    public let malformed = Atomic<Int64>(0)
    /// Packets with a payload type the session did not negotiate.
    public let unknownPayload = Atomic<Int64>(0)
    /// Packets discarded while the stream was paused or inactive.
    public let discardedWhilePaused = Atomic<Int64>(0)
    /// Comfort-noise packets (silence).
    public let comfortNoise = Atomic<Int64>(0)
    /// Timeline samples of lost packets filled by the decoder's concealment (`[media] concealment = "codec"`).
    public let concealedSamples = Atomic<Int64>(0)
    /// First SSRC seen (valid once `packets` > 0).
    public let firstSSRC = Atomic<UInt32>(0)
    /// Timeline position of the first audio sample placed, or -1.
    public let firstPosition = Atomic<Int64>(-1)
    /// Monotonic nanoseconds of the last packet, or 0 before the first.
    public let lastArrivalNanos = Atomic<Int64>(0)
    public let resynchronisations = Atomic<Int64>(0)
    public let ssrcChanges = Atomic<Int64>(0)
    /// Packets from another sender while the stream's sender was active (not recorded).
    public let foreignSource = Atomic<Int64>(0)
    /// Times the stream moved to another sender after its own went quiet.
    public let sourceChanges = Atomic<Int64>(0)
    /// SRTP packets whose authentication tag did not verify (a wrong key, corruption, forgery): not recorded.
    public let authFailed = Atomic<Int64>(0)
    /// SRTP packets refused by the replay check (a repeat, or older than the replay window): not recorded.
    public let replayed = Atomic<Int64>(0)
    /// SRTCP packets that authenticated.
    public let srtcpPackets = Atomic<Int64>(0)
    /// SRTP packets with no key to decrypt them (passive mode or replay, keys not visible): not recorded.
    public let undecrypted = Atomic<Int64>(0)

    /// Audio codecs written so far, one bit per `AudioCodec` raw value.
    public let codecsSeen = Atomic<UInt32>(0)
    /// The first payload types that were not negotiated (or cannot be decoded), with their counts: each
    /// slot holds (payload type + 1) << 48 | count, 0 when free. More types than slots count only in
    /// `unknownPayload`.
    let unknown0 = Atomic<Int64>(0), unknown1 = Atomic<Int64>(0), unknown2 = Atomic<Int64>(0), unknown3 = Atomic<Int64>(0)

    public init() {}

    /// Counts a packet of payload type `pt` that the stream cannot use. Capture thread only.
    @inline(__always)
    public func countUnknown(payloadType pt: UInt8) {
        bump(unknownPayload)
        let tag = Int64(pt) + 1
        for slot in 0..<4 {
            let value = loadUnknown(slot)
            if value == 0 || value >> 48 == tag {
                storeUnknown(slot, (tag << 48) | ((value & 0xFFFF_FFFF_FFFF) + 1))
                return
            }
        }
    }

    /// Notes that audio of `codec` was written. Capture thread only.
    @inline(__always)
    public func noteCodec(_ codec: AudioCodec) {
        let bit = UInt32(1) &<< UInt32(codec.rawValue)
        let seen = codecsSeen.load(ordering: .relaxed)
        if seen & bit == 0 { codecsSeen.store(seen | bit, ordering: .relaxed) }
    }

    private func loadUnknown(_ slot: Int) -> Int64 {
        switch slot {
        case 0: return unknown0.load(ordering: .relaxed)
        case 1: return unknown1.load(ordering: .relaxed)
        case 2: return unknown2.load(ordering: .relaxed)
        default: return unknown3.load(ordering: .relaxed)
        }
    }

    private func storeUnknown(_ slot: Int, _ value: Int64) {
        switch slot {
        case 0: unknown0.store(value, ordering: .relaxed)
        case 1: unknown1.store(value, ordering: .relaxed)
        case 2: unknown2.store(value, ordering: .relaxed)
        default: unknown3.store(value, ordering: .relaxed)
        }
    }

    /// The payload types counted as unknown, with their counts (the first four types seen).
    public var unknownPayloadTypes: [(payloadType: UInt8, packets: Int64)] {
        (0..<4).compactMap { slot in
            let value = loadUnknown(slot)
            return value == 0 ? nil : (UInt8((value >> 48) - 1), value & 0xFFFF_FFFF_FFFF)
        }
    }

    /// Adds to a counter. Only the capture thread writes, so a relaxed load and store suffice (no locked
    /// read-modify-write instruction); readers on other threads see a consistent, slightly old value.
    @inline(__always)
    public func bump(_ counter: borrowing Atomic<Int64>, by value: Int64 = 1) {
        counter.store(counter.load(ordering: .relaxed) &+ value, ordering: .relaxed)
    }
}

/// A plain copy of a stream's counters, for reports.
public struct StreamStatistics: Sendable, Equatable {
    public var packets: Int64, bytes: Int64, lost: Int64, late: Int64, duplicates: Int64
    public var overflows: Int64, malformed: Int64, unknownPayload: Int64, discardedWhilePaused: Int64
    public var comfortNoise: Int64, resynchronisations: Int64, ssrcChanges: Int64
    public var concealedSamples: Int64
    public var foreignSource: Int64, sourceChanges: Int64
    public var authFailed: Int64, replayed: Int64, srtcpPackets: Int64, undecrypted: Int64
    public var firstSSRC: UInt32?
    public var firstPosition: Int64?
    /// Audio codecs that were written, in `AudioCodec` order.
    public var codecs: [AudioCodec]
    /// Payload types the stream could not use, with their packet counts.
    public var unknownPayloadTypes: [UnknownPayloadType]

    public struct UnknownPayloadType: Sendable, Equatable {
        public var payloadType: UInt8
        public var packets: Int64

        public init(payloadType: UInt8, packets: Int64) {
            self.payloadType = payloadType
            self.packets = packets
        }
    }

    public init(_ c: StreamCounters) {
        packets = c.packets.load(ordering: .relaxed)
        bytes = c.bytes.load(ordering: .relaxed)
        lost = c.lost.load(ordering: .relaxed)
        late = c.late.load(ordering: .relaxed)
        duplicates = c.duplicates.load(ordering: .relaxed)
        overflows = c.overflows.load(ordering: .relaxed)
        malformed = c.malformed.load(ordering: .relaxed)
        unknownPayload = c.unknownPayload.load(ordering: .relaxed)
        discardedWhilePaused = c.discardedWhilePaused.load(ordering: .relaxed)
        comfortNoise = c.comfortNoise.load(ordering: .relaxed)
        concealedSamples = c.concealedSamples.load(ordering: .relaxed)
        resynchronisations = c.resynchronisations.load(ordering: .relaxed)
        ssrcChanges = c.ssrcChanges.load(ordering: .relaxed)
        foreignSource = c.foreignSource.load(ordering: .relaxed)
        sourceChanges = c.sourceChanges.load(ordering: .relaxed)
        authFailed = c.authFailed.load(ordering: .relaxed)
        replayed = c.replayed.load(ordering: .relaxed)
        srtcpPackets = c.srtcpPackets.load(ordering: .relaxed)
        undecrypted = c.undecrypted.load(ordering: .relaxed)
        let seen = c.codecsSeen.load(ordering: .relaxed)
        codecs = AudioCodec.allCases.filter { seen & (1 << $0.rawValue) != 0 }
        unknownPayloadTypes = c.unknownPayloadTypes.map { UnknownPayloadType(payloadType: $0.payloadType, packets: $0.packets) }
        let position = c.firstPosition.load(ordering: .acquiring)
        firstPosition = position >= 0 ? position : nil
        firstSSRC = position >= 0 ? c.firstSSRC.load(ordering: .relaxed) : nil
    }
}

/// Totals over every stream of the process, for `/metrics` and `siprecd status`: packets, bytes and
/// drops by cause. Written only by the capture thread (relaxed load + store), read by anyone.
public final class CaptureTotals: Sendable {
    public let packets = Atomic<Int64>(0)
    public let bytes = Atomic<Int64>(0)
    public let malformed = Atomic<Int64>(0)
    public let late = Atomic<Int64>(0)
    public let duplicates = Atomic<Int64>(0)
    /// Ring full: the encoder fell behind (a slow encoder shows here, not as capture loss).
    public let ringFull = Atomic<Int64>(0)
    public let unknownPayload = Atomic<Int64>(0)
    /// Packets from a second sender on a stream whose own sender is active.
    public let foreignSource = Atomic<Int64>(0)
    /// SRTP packets that failed authentication, and that the replay check refused.
    public let srtpAuthFailed = Atomic<Int64>(0)
    public let srtpReplayed = Atomic<Int64>(0)

    public init() {}

    @inline(__always)
    public func bump(_ counter: borrowing Atomic<Int64>, by value: Int64 = 1) {
        counter.store(counter.load(ordering: .relaxed) &+ value, ordering: .relaxed)
    }
}
