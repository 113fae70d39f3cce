/// How siprecd takes part in SIP.
public enum SIPMode: String, Sendable, Equatable, CaseIterable {
    /// siprecd is the SRS: it answers recording sessions on `listen`.
    case active
    /// siprecd watches a mirror port (`media.interface`) and records sessions between other parties;
    /// `listen` ports name the SIP ports to follow.
    case passive
}

/// The `[sip]` section: where SIP requests from session recording clients are accepted.
public struct SIPSettings: Sendable, Equatable {
    /// `active` (default) or `passive`.
    public var mode: SIPMode = .active
    /// In passive mode, also record plain SIP calls (not SIPREC), caller = From. Default: false.
    public var recordPlainCalls = false
    /// Sockets to listen on. Default: `udp:127.0.0.1:5060` and `tcp:127.0.0.1:5060`.
    public var listen: [ListenAddress]
    /// Source networks allowed to send SIP; empty allows any source. Default: empty.
    public var allow: [CIDRBlock]
    /// Largest SIP message accepted, in bytes. Default: 65535.
    public var maxMessageSize: Int
    /// Open SIP/TCP connections at most; past it the oldest connection that never sent a complete SIP
    /// message is closed to make room (or, when every one has, the new one). Default: 4096.
    public var maxTCPConnections = 4_096
    /// A SIP/TCP connection that has not sent a complete SIP message this long after it opened is closed
    /// (half-open and idle connections cannot pile up). Default: 10s.
    public var tcpFirstMessageTimeout: Duration = .seconds(10)

    /// The accepted range for ``maxMessageSize``.
    public static let maxMessageSizeRange = 1_024...1_048_576
    /// The accepted range for ``maxTCPConnections``.
    public static let maxTCPConnectionsRange = 16...1_000_000

    /// Creates SIP settings; every argument defaults to the documented default.
    public init(
        listen: [ListenAddress] = ListenAddress.udpAndTCP(HostPort(host: "127.0.0.1", port: 5060)),
        allow: [CIDRBlock] = [],
        maxMessageSize: Int = 65_535
    ) {
        self.listen = listen
        self.allow = allow
        self.maxMessageSize = maxMessageSize
    }

    /// True when `address` may send SIP: ``allow`` is empty or one of its blocks contains it.
    public func isAllowed(_ address: String) -> Bool {
        allow.isEmpty || allow.contains { $0.contains(address) }
    }
}
