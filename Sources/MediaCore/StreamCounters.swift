import Synchronization

/// Per-stream counters written by the capture thread with relaxed atomics and read by anyone.
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

    public init() {}

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
    public var foreignSource: Int64, sourceChanges: Int64
    public var firstSSRC: UInt32?
    public var firstPosition: Int64?

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
        resynchronisations = c.resynchronisations.load(ordering: .relaxed)
        ssrcChanges = c.ssrcChanges.load(ordering: .relaxed)
        foreignSource = c.foreignSource.load(ordering: .relaxed)
        sourceChanges = c.sourceChanges.load(ordering: .relaxed)
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

    public init() {}

    @inline(__always)
    public func bump(_ counter: borrowing Atomic<Int64>, by value: Int64 = 1) {
        counter.store(counter.load(ordering: .relaxed) &+ value, ordering: .relaxed)
    }
}
