/// Why a captured frame yielded no UDP/TCP payload. Checksums are never verified (offloading makes
/// them unreliable on the capturing host), so there is no checksum failure.
public enum DecodeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame ends before a header it announces is complete.
    case truncated
    /// The link type is not one this decoder handles (for callers mapping `pcap_datalink` values).
    case unsupportedLinkType
    /// The frame carries something other than IPv4/IPv6 (ARP, LLDP, an unknown address family...).
    case notIP
    /// IP carries neither UDP nor TCP (ICMP, ESP, No Next Header...).
    case unsupportedTransport
    /// A header's own fields are contradictory (IHL < 5, UDP length beyond the IP payload...).
    case badHeader

    public var description: String {
        switch self {
        case .truncated: "frame truncated: it ends inside a header"
        case .unsupportedLinkType: "unsupported link type"
        case .notIP: "frame does not carry IPv4 or IPv6"
        case .unsupportedTransport: "IP payload is neither UDP nor TCP"
        case .badHeader: "header fields are inconsistent"
        }
    }
}
