/// Settings and counters of live pcap capture.

/// How a live capture is opened.
public struct PcapSettings: Sendable {
    /// The interface to capture on ("lo", "eth0", "any").
    public var interface: String = "lo"
    /// Kernel ring size. With TPACKET_V3 the ring absorbs bursts while the capture thread is busy.
    public var bufferBytes: Int = 64 << 20
    /// Bytes kept per packet: RTP fits (SIP is not captured by this source in active mode).
    public var snaplen: Int32 = 2048
    /// How long the kernel holds a partly filled ring block before handing it over (TPACKET_V3 block
    /// retire timeout): the worst-case extra latency at low packet rates.
    public var timeoutMillis: Int32 = 10
    /// BPF filter (see `PcapPacketSource.rtpFilter`); "" captures all traffic on the interface.
    public var filter: String
    /// Promiscuous mode: needed for passive capture from a mirror (SPAN) port, not for active recording.
    public var promiscuous: Bool = false
    /// Upper bound on packets handled by one `poll` (or `drain`), so a flood cannot keep the capture
    /// thread from releasing audio; what is left is picked up by the next call at once.
    public var maximumPacketsPerPoll: Int = 65_536

    public init(interface: String = "lo", bufferBytes: Int = 64 << 20, snaplen: Int32 = 2048, timeoutMillis: Int32 = 10,
                filter: String, promiscuous: Bool = false, maximumPacketsPerPoll: Int = 65_536) {
        self.interface = interface
        self.bufferBytes = bufferBytes
        self.snaplen = snaplen
        self.timeoutMillis = timeoutMillis
        self.filter = filter
        self.promiscuous = promiscuous
        self.maximumPacketsPerPoll = maximumPacketsPerPoll
    }
}

/// Counters of a live capture. Kernel figures are 64-bit totals since the source opened (libpcap's
/// are 32-bit and wrap); own figures count what the capture thread did with each packet.
public struct PcapStatistics: Sendable, Equatable {
    /// Packets that passed the kernel filter (pcap_stats ps_recv).
    public var received: UInt64
    /// Packets the kernel dropped because the ring was full (ps_drop).
    public var droppedByKernel: UInt64
    /// Packets the interface or driver dropped (ps_ifdrop; only filled in promiscuous mode on Linux).
    public var droppedByInterface: UInt64
    /// UDP datagrams handed to `deliver`.
    public var delivered: UInt64
    /// Packets that were not UDP: TCP, another transport, or not IP at all (what the filter let through).
    public var nonUDP: UInt64
    /// IP fragments, skipped (RTP is never fragmented in practice; reassembly is not done here).
    public var fragments: UInt64
    /// Packets the decoder could not read, or whose UDP payload was cut by the snaplen.
    public var undecodable: UInt64
    /// pcap_dispatch or poll failures.
    public var readErrors: UInt64
}
