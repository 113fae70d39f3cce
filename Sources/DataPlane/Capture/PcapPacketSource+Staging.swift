#if canImport(Glibc)
import Glibc
#endif
import CPcap
import Synchronization
import Wire

/// One datagram copied out of the ring by the pcap callback, delivered after pcap_dispatch returns.
struct StagedPacket {
    var destination: EndpointKey
    var source: EndpointKey
    var offset: Int
    var length: Int
    var arrival: Int64
}

/// What the C callback works with, passed through pcap_dispatch's `user` pointer. Allocated once per
/// source. Why copy: the deliver closure is non-escaping, and handing it to C needs
/// `withoutActuallyEscaping`, which allocates a box on every call (measured: 1 allocation per poll);
/// and a payload cannot be delivered after pcap_dispatch returns without a copy, because libpcap hands
/// a TPACKET_V3 block back to the kernel as soon as its last packet was processed. Copying an RTP
/// payload (~172 bytes) into this arena costs a few ns per packet and allocates nothing.
struct Staging {
    let entries: UnsafeMutablePointer<StagedPacket>
    let arena: UnsafeMutableRawPointer
    /// Packets per pcap_dispatch call.
    let capacity: Int
    let arenaBytes: Int
    let linkType: LinkType
    let timestampScale: Int64
    /// The clock mapping for this dispatch, and the monotonic time it started.
    var clock = WallClockConverter()
    var nowNanos: Int64 = 0
    var count = 0
    var used = 0
    var delivered: UInt64 = 0
    var nonUDP: UInt64 = 0
    var fragments: UInt64 = 0
    var undecodable: UInt64 = 0
    /// Zero-copy mode: packets go straight from the ring to this sink inside the pcap callback.
    /// Set only for the duration of one `poll(timeoutMillis:sink:)`.
    unowned(unsafe) var sink: (any PacketSink)?
}

/// 64-bit totals from libpcap's 32-bit counters, which wrap (read at least once per wrap).
struct KernelCounters {
    private var last = (received: UInt32(0), dropped: UInt32(0), interfaceDropped: UInt32(0))
    private(set) var received: UInt64 = 0
    private(set) var dropped: UInt64 = 0
    private(set) var interfaceDropped: UInt64 = 0

    mutating func update(_ stats: pcap_stat) {
        received &+= UInt64(UInt32(truncatingIfNeeded: stats.ps_recv) &- last.received)
        dropped &+= UInt64(UInt32(truncatingIfNeeded: stats.ps_drop) &- last.dropped)
        interfaceDropped &+= UInt64(UInt32(truncatingIfNeeded: stats.ps_ifdrop) &- last.interfaceDropped)
        last = (UInt32(truncatingIfNeeded: stats.ps_recv), UInt32(truncatingIfNeeded: stats.ps_drop), UInt32(truncatingIfNeeded: stats.ps_ifdrop))
    }
}
