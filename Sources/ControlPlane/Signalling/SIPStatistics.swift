/// Counters of the SIP server.
public struct SIPStatistics: Sendable {
    public init() {}
    public var messagesReceived = 0
    public var malformed = 0
    public var badRequests = 0
    public var responsesSent = 0
    public var requestsSent = 0
    public var responsesIgnored = 0
    public var retransmissionsAbsorbed = 0
    public var sessionsOffered = 0
    public var sessionsRejected = 0
    /// Open SIP/TCP and SIP/TLS connections, and those that have not sent a complete message yet (in `report` only).
    public var tcpConnections = 0
    public var tcpSilentConnections = 0
    /// Silent connections closed to make room, new ones refused at the limit, silent ones timed out.
    public var tcpEvicted = 0
    public var tcpRefused = 0
    public var tcpTimedOut = 0
    /// Open SIP/TLS connections (in `report` only; also counted in `tcpConnections`), finished handshakes,
    /// and refused ones by reason (`TLSSession.FailureReason`).
    public var tlsConnections = 0
    public var tlsHandshakes = 0
    public var tlsHandshakeFailures: [String: Int] = [:]
    /// TLS connections closed because a reload's `[tls]` no longer accepted their certificate, and requests
    /// of TLS sessions refused for arriving outside TLS or from another certificate.
    public var tlsClosedOnReload = 0
    public var tlsSessionRequestsRefused = 0
    /// Messages from sources outside `[sip] allow` (every kind), and how many from each source (at most
    /// `refusedSourcesKept` sources are told apart).
    public var refusedFromDisallowedSources = 0
    public var refusedBySource: [String: Int] = [:]
    static let refusedSourcesKept = 256
    /// In-dialog requests whose Call-ID and tags match no dialog (481).
    public var dialogMismatches = 0
    /// New INVITE (parsed) → 200 OK sent, for the sessions answered 200. With `[[rules]] trigger =
    /// "newCall"` it includes the application's decision.
    public var inviteAnswer = LatencyHistogram()
}
