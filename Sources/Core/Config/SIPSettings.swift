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
    /// A session whose every stream the SRC holds (a=inactive, 0.0.0.0, port 0) ends after this long
    /// (warning `heldSessionTimeout`): the safety net for SRCs that vanish without session timers.
    /// Default: 4h.
    public var heldSessionTimeout: Duration = .seconds(4 * 3_600)
    /// How often a held session's SRC is asked whether the dialog still exists (in-dialog OPTIONS); no
    /// answer, 408 or 481 ends the session (warning `srcGone`). "0s" turns probing off. Default: 60s.
    public var heldSessionProbe: Duration = .seconds(60)
    /// RFC 4028: the session interval siprecd asks of an SRC that supports session timers but asked for
    /// none (the SRC refreshes). "0s": ask for none. Default: 30m.
    public var sessionExpires: Duration = .seconds(1_800)
    /// RFC 4028 Min-SE: a smaller Session-Expires gets 422. RFC 4028 requires at least 90 s; smaller
    /// values are for tests. Default: 90s.
    public var minSessionExpires: Duration = .seconds(90)
    /// After a SIP/TCP connection that carries dialogs closes, how long the SRC has to reconnect (any
    /// in-dialog request on a new connection) before siprecd probes it. Default: 30s.
    public var reconnectGrace: Duration = .seconds(30)

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
