/// The SDP `o=` line (RFC 4566 §5.2).
public struct SDPOrigin: Sendable, Equatable {
    /// The originator's login, `-` when none.
    public var username: String
    /// Numeric session id, kept as text because peers send values beyond 64 bits.
    public var sessionId: String
    /// Session version, kept as text for the same reason.
    public var sessionVersion: String
    /// `IN`.
    public var netType: String
    /// `IP4` or `IP6`.
    public var addrType: String
    /// The originator's address.
    public var address: String

    /// Creates an origin.
    public init(username: String = "-", sessionId: String, sessionVersion: String,
                netType: String = "IN", addrType: String, address: String) {
        self.username = username
        self.sessionId = sessionId
        self.sessionVersion = sessionVersion
        self.netType = netType
        self.addrType = addrType
        self.address = address
    }

    /// Parses the value after `o=`: six space-separated fields.
    init?(parsing text: Substring) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 6 else { return nil }
        self.init(username: String(fields[0]), sessionId: String(fields[1]), sessionVersion: String(fields[2]),
                  netType: String(fields[3]), addrType: String(fields[4]), address: String(fields[5]))
    }

    var serialized: String { "\(username) \(sessionId) \(sessionVersion) \(netType) \(addrType) \(address)" }
}
