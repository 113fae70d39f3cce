/// The SDP `c=` line (RFC 4566 §5.7).
public struct SDPConnection: Sendable, Equatable {
    /// `IN`.
    public var netType: String
    /// `IP4` or `IP6`.
    public var addrType: String
    /// The address, including any `/ttl/count` suffix as received.
    public var address: String

    /// Creates a connection line.
    public init(netType: String = "IN", addrType: String, address: String) {
        self.netType = netType
        self.addrType = addrType
        self.address = address
    }

    /// A connection for a local address, choosing IP6 when the address contains a colon.
    public init(address: String) {
        self.init(addrType: address.contains(":") ? "IP6" : "IP4", address: address)
    }

    /// Parses the value after `c=`: three space-separated fields.
    init?(parsing text: Substring) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 3 else { return nil }
        self.init(netType: String(fields[0]), addrType: String(fields[1]), address: String(fields[2]))
    }

    var serialized: String { "\(netType) \(addrType) \(address)" }
}
