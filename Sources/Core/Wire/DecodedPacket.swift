/// Where a UDP/TCP payload sits inside a captured frame, plus the addressing needed to route it.
///
/// A plain value with no references, so producing one per packet allocates nothing.
public struct DecodedPacket: Sendable, Equatable {
    /// Sender address and port (port 0 for fragments, whose transport header may be elsewhere).
    public var source: EndpointKey
    /// Receiver address and port (port 0 for fragments).
    public var destination: EndpointKey
    public var transport: TransportProtocol
    /// Start of the UDP/TCP payload within the frame (for fragments: of the fragment's IP payload).
    public var payloadOffset: Int
    /// Length of that payload; never includes link-layer padding.
    public var payloadLength: Int
    /// TCP sequence number; 0 for UDP.
    public var tcpSequence: UInt32
    /// TCP flag bits (see `TCPFlags`); 0 for UDP.
    public var tcpFlags: UInt8
    /// Set when this is an IPv4 fragment; the payload is then the fragment's IP payload, not UDP/TCP data.
    public var fragment: IPv4Fragment?
    /// Set when this is an IPv6 fragment (a Fragment header with offset ≠ 0 or more-fragments set).
    public var ipv6Fragment: IPv6Fragment?

    public init(source: EndpointKey, destination: EndpointKey, transport: TransportProtocol,
                payloadOffset: Int, payloadLength: Int, tcpSequence: UInt32 = 0, tcpFlags: UInt8 = 0,
                fragment: IPv4Fragment? = nil, ipv6Fragment: IPv6Fragment? = nil) {
        self.source = source
        self.destination = destination
        self.transport = transport
        self.payloadOffset = payloadOffset
        self.payloadLength = payloadLength
        self.tcpSequence = tcpSequence
        self.tcpFlags = tcpFlags
        self.fragment = fragment
        self.ipv6Fragment = ipv6Fragment
    }

    /// True for any IP fragment: its payload cannot be handed to a UDP/TCP consumer as is.
    public var isFragment: Bool { fragment != nil || ipv6Fragment != nil }
}

/// The fragmentation fields of an IPv4 fragment.
public struct IPv4Fragment: Sendable, Equatable {
    public var identification: UInt16
    /// Byte offset of this fragment's data in the original IP payload.
    public var offset: Int
    public var moreFragments: Bool
    /// The IP protocol of the whole datagram (17 for UDP).
    public var protocolNumber: UInt8

    public init(identification: UInt16, offset: Int, moreFragments: Bool, protocolNumber: UInt8) {
        self.identification = identification
        self.offset = offset
        self.moreFragments = moreFragments
        self.protocolNumber = protocolNumber
    }
}

/// The fields of an IPv6 Fragment extension header (RFC 8200 §4.5).
public struct IPv6Fragment: Sendable, Equatable {
    public var identification: UInt32
    /// Byte offset of this fragment's data in the fragmentable part of the original packet.
    public var offset: Int
    public var moreFragments: Bool
    /// The Next Header value following the Fragment header.
    public var nextHeader: UInt8

    public init(identification: UInt32, offset: Int, moreFragments: Bool, nextHeader: UInt8) {
        self.identification = identification
        self.offset = offset
        self.moreFragments = moreFragments
        self.nextHeader = nextHeader
    }
}
