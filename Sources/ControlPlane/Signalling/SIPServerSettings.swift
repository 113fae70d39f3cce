import SIPCore

/// Settings of the SIP server.
public struct SIPServerSettings: Sendable {
    /// Host put in Contact and SDP when the listen address is a wildcard and the request does not tell.
    public var advertisedHost: String
    /// The port of the first listener: Via and Contact of a transport without a listener of its own.
    public var port: Int
    /// The listening port of each transport (Via and Contact name the one the message travels on).
    public var ports: [SIPFlow.Transport: Int] = [:]
    public var maxMessageSize: Int
    /// Decides whether a source address may open sessions (403 otherwise).
    public var isAllowed: @Sendable (String) -> Bool
    public var userAgent: String
    public var timers = SIPTimers()
    /// See `[sip] maxTcpConnections` and `tcpFirstMessageTimeout`.
    public var maxTCPConnections = 4_096
    public var tcpFirstMessageTimeout: Duration = .seconds(10)
    /// See `[sip] sessionExpires` and `minSessionExpires` (RFC 4028).
    public var sessionTimers = SessionTimerSettings()
    /// See `[sip] reconnectGrace`.
    public var reconnectGrace: Duration = .seconds(30)

    /// The listening port siprecd names for `transport`.
    public func port(for transport: SIPFlow.Transport) -> Int { ports[transport] ?? port }

    public init(advertisedHost: String, port: Int, maxMessageSize: Int = 65_535,
                isAllowed: @escaping @Sendable (String) -> Bool = { _ in true }, userAgent: String) {
        self.advertisedHost = advertisedHost
        self.port = port
        self.maxMessageSize = maxMessageSize
        self.isAllowed = isAllowed
        self.userAgent = userAgent
    }
}
