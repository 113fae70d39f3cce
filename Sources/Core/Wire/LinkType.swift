/// libpcap link types we decode (values are LINKTYPE_/DLT_ numbers as `pcap_datalink` reports them).
public enum LinkType: Int32, Sendable, CaseIterable {
    /// BSD loopback: a 4-byte address family in the capturing host's byte order, then IP.
    case null = 0
    /// Ethernet II, optionally with stacked 802.1Q / 802.1ad tags.
    case ethernet = 1
    /// LINKTYPE_RAW: a bare IPv4 or IPv6 packet (version from the first nibble).
    case raw = 101
    /// DLT_RAW as Linux reports it; same framing as `raw`.
    case rawAlt = 12
    /// Linux "cooked" capture v1 (16-byte header, protocol at offset 14), used by `any` devices.
    case linuxSLL = 113
    /// A bare IPv4 packet.
    case ipv4 = 228
    /// A bare IPv6 packet.
    case ipv6 = 229
    /// Linux "cooked" capture v2 (20-byte header, protocol at offset 0).
    case linuxSLL2 = 276
}

/// The transport protocols the capture path understands.
public enum TransportProtocol: UInt8, Sendable {
    case tcp = 6
    case udp = 17
}

/// TCP header flag bits (the low byte of the flags field).
public struct TCPFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
}
