import Logging
import NIOCore
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

/// The SRS's SIP core (RFC 3261 UAS side): server transactions, dialogs and recording sessions.
///
/// All state is confined to one event loop; transports call in on that loop and the recording service
/// (the delegate) answers on it. Protocol decisions per transaction are made by `ServerTransaction`.
public final class SIPServer: @unchecked Sendable {
    // @unchecked: every mutable property is touched only on `eventLoop`.
    public let eventLoop: EventLoop
    let settings: SIPServerSettings
    let logger: Logger
    public var delegate: RecordingSessionDelegate?
    /// SIP over TLS, when a `tls:` address is listened on (siprecd's own connections to an SRC need it).
    public var tls: SIPTLS?

    final class TransactionEntry {
        var machine: ServerTransaction
        let request: SIPMessage
        let flow: SIPFlow
        var retransmitTask: Scheduled<Void>?
        var timeoutTask: Scheduled<Void>?
        var dialogID: String?
        init(machine: ServerTransaction, request: SIPMessage, flow: SIPFlow) {
            self.machine = machine
            self.request = request
            self.flow = flow
        }
    }

    var transactions: [TransactionKey: TransactionEntry] = [:]
    var dialogs: [String: Dialog] = [:]
    /// Dialogs by the SIP/TCP connection their requests arrive on (an SBC may carry thousands of calls on
    /// one connection; a dialog leaves the set when it ends).
    var tcpDialogs: [ObjectIdentifier: Set<String>] = [:]
    /// INVITE transactions waiting for the delegate's decision, with their would-be dialog id.
    var pendingOffers: [TransactionKey: String] = [:]
    /// The requests siprecd sends in its dialogs (BYE, probes, refreshes) and their client transactions.
    lazy var requests = DialogRequests(server: self)
    /// RFC 5923: connections SRCs offered (Via `alias`) for requests to their sent-by address.
    var aliases = ConnectionAliases()
    /// The certificate identity ("subject / issuer") of each open TLS connection, once its handshake finished.
    var tlsPeers: [ObjectIdentifier: String] = [:]

    public internal(set) var statistics = SIPStatistics()
    /// Notices about what a source sent, rate-limited per source (a flood cannot fill the journal).
    lazy var notices = SourceNotices(logger: logger, eventLoop: eventLoop)
    lazy var tcpConnections = TCPConnectionTable(capacity: settings.maxTCPConnections)

    /// Methods we implement, for Allow.
    static let allowed = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE"
    /// Methods we know but do not accept (405, not 501).
    static let knownMethods: Set<String> = ["REGISTER", "MESSAGE", "SUBSCRIBE", "NOTIFY", "INFO", "PRACK", "REFER", "PUBLISH"]

    public init(eventLoop: EventLoop, settings: SIPServerSettings, logger: Logger) {
        self.eventLoop = eventLoop
        self.settings = settings
        self.logger = logger
    }

    /// The counters with the TCP connection gauges, which the connection table knows, for status reports.
    public var report: SIPStatistics {
        var report = statistics
        report.tcpConnections = tcpConnections.count
        report.tcpSilentConnections = tcpConnections.silentCount
        report.tlsConnections = tcpConnections.tlsCount
        return report
    }

    /// Live dialogs, for status reports.
    public var dialogCount: Int { dialogs.count }

    // MARK: Input from transports

    /// A datagram or a framed TCP message arrived.
    public func receive(bytes: [UInt8], flow: SIPFlow) {
        eventLoop.preconditionInEventLoop()
        statistics.messagesReceived += 1
        if bytes.allSatisfy({ $0 == 13 || $0 == 10 }) { return }  // keep-alive
        let message: SIPMessage
        do {
            message = try SIPParser.parse(bytes[...])
        } catch {
            rejectMalformed(bytes: bytes, error: error, flow: flow)
            return
        }
        receive(message: message, flow: flow)
    }

    /// A parsed message arrived.
    public func receive(message: SIPMessage, flow: SIPFlow) {
        // `[sip] allow` covers every message: a source outside it opens no session and touches none.
        guard settings.isAllowed(flow.remote.ipAddress ?? "") else {
            refuseSource(message, flow: flow)
            return
        }
        aliases.note(message, flow: flow)
        guard message.isRequest else {
            if let branch = message.via.first?.branch {
                requests.receiveClientResponse(message, branch: branch)
            } else {
                statistics.responsesIgnored += 1
            }
            return
        }
        do {
            try SIPParser.validateRequest(message)
        } catch {
            rejectInvalid(message, reason: error.message, flow: flow)
            return
        }
        handleRequest(message, flow: flow)
    }

    /// Refuses a message from a source outside `[sip] allow`: 403 to a request (without creating a
    /// transaction), nothing to an ACK or a response; counted per source.
    func refuseSource(_ message: SIPMessage, flow: SIPFlow) {
        statistics.refusedFromDisallowedSources += 1
        let source = flow.remote.ipAddress ?? "?"
        if statistics.refusedBySource[source] != nil || statistics.refusedBySource.count < SIPStatistics.refusedSourcesKept {
            statistics.refusedBySource[source, default: 0] += 1
        }
        guard message.isRequest, message.method != "ACK", !message.via.isEmpty, message.callID != nil, message.cseq != nil else {
            notices.log(.notice, "SIP message from a source outside [sip] allow dropped", source: source,
                        metadata: ["source": "\(flow.remoteDescription)", "method": "\(message.method ?? "response")"])
            return
        }
        if message.method == "INVITE", message.to?.tag == nil {
            notices.log(.warning, "session refused", source: source, metadata: [
                "call_id": "\(message.callID ?? "")", "source": "\(flow.remoteDescription)", "status": "403",
                "reason": "source not allowed"])
        } else {
            notices.log(.notice, "SIP request from a source outside [sip] allow refused", source: source, metadata: [
                "call_id": "\(message.callID ?? "")", "source": "\(flow.remoteDescription)", "method": "\(message.method ?? "")",
                "status": "403"])
        }
        let response = SIPResponseBuilder.response(
            to: message, statusCode: 403, reason: "Forbidden - source not allowed",
            toTag: message.to?.tag == nil ? generateSIPToken(length: 10) : nil,
            extraHeaders: commonHeaders() + [SIPHeader(name: "Warning", value: "399 siprecd \"source not allowed\"")])
        send(response, over: flow)
    }

    /// Answers 400 when enough of a broken message survives to address a response; drops it otherwise.
    func rejectMalformed(bytes: [UInt8], error: SIPParseError, flow: SIPFlow) {
        statistics.malformed += 1
        guard settings.isAllowed(flow.remote.ipAddress ?? "") else {
            statistics.refusedFromDisallowedSources += 1
            return
        }
        notices.log(.notice, "malformed SIP message dropped or rejected", source: flow.remote.ipAddress ?? "?", metadata: [
            "source": "\(flow.remoteDescription)", "error": "\(error.message)"])
        guard let salvaged = MalformedMessageSalvage.headers(from: bytes) else { return }
        rejectInvalid(salvaged, reason: error.message, flow: flow)
    }

    func rejectInvalid(_ message: SIPMessage, reason: String, flow: SIPFlow) {
        guard message.method != "ACK", !message.via.isEmpty, message.callID != nil, message.cseq != nil,
              message.header("From") != nil, message.header("To") != nil
        else { return }
        statistics.badRequests += 1
        let warning = SIPHeader(name: "Warning", value: "399 siprecd \"\(SIPServer.warningText(reason))\"")
        let response = SIPResponseBuilder.response(to: message, statusCode: 400, reason: "Bad Request - \(reason)",
                                                   toTag: generateSIPToken(length: 10),
                                                   extraHeaders: commonHeaders() + (message.method == "INVITE" ? [warning] : []))
        send(response, over: flow)
    }

    // MARK: Output

    func send(_ message: SIPMessage, over flow: SIPFlow, written: ((Bool) -> Void)? = nil) {
        var buffer = flow.channel.allocator.buffer(capacity: 1024)
        buffer.writeBytes(message.serialized())
        let promise = written.map { done in
            // On the server's loop even when the connection runs on the TLS loop: `done` touches server state.
            let promise = eventLoop.makePromise(of: Void.self)
            promise.futureResult.whenComplete { result in
                if case .success = result { done(true) } else { done(false) }
            }
            return promise
        }
        switch flow.transport {
        case .udp:
            flow.channel.writeAndFlush(AddressedEnvelope(remoteAddress: flow.remote, data: buffer), promise: promise)
        case .tcp, .tls:
            flow.channel.writeAndFlush(buffer, promise: promise)
        }
        if message.statusCode != nil { statistics.responsesSent += 1 } else { statistics.requestsSent += 1 }
    }

    /// Headers every response of ours carries.
    func commonHeaders() -> [SIPHeader] {
        [SIPHeader(name: "Server", value: settings.userAgent)]
    }
}

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
