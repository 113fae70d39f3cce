import Logging
import NIOCore
import SIPCore

/// The SRS's SIP core (RFC 3261 UAS side), the door every SIP message comes through: it admits or refuses
/// the message (`+Admission`), keeps the server transactions (`+Transactions`; their protocol decisions are
/// `ServerTransaction`'s) and hands each request to its room — the recording sessions' dialogs
/// (`InviteSessions`), the requests siprecd sends in them (`DialogRequests`), the TLS identities sessions are
/// bound to (`TLSPeers`).
///
/// All state is confined to one event loop; transports call in on that loop and the recording service
/// (the delegate) answers on it.
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

    /// Server transactions by key (RFC 3261 §17.2; `SIPServer+Transactions`).
    var transactions: [TransactionKey: TransactionEntry] = [:]
    /// The recording sessions' dialogs: offers, changes, endings.
    lazy var sessions = InviteSessions(server: self)
    /// The requests siprecd sends in its dialogs (BYE, probes, refreshes) and their client transactions.
    lazy var requests = DialogRequests(server: self)
    /// RFC 5923: connections SRCs offered (Via `alias`) for requests to their sent-by address.
    var aliases = ConnectionAliases()
    /// The certificates of open SIP/TLS connections and the sessions bound to them.
    lazy var tlsPeers = TLSPeers(server: self)

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
    public var dialogCount: Int { sessions.dialogs.count }

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

    // MARK: Output

    func send(_ message: SIPMessage, over flow: SIPFlow, written: ((Bool) -> Void)? = nil) {
        var buffer = flow.channel.allocator.buffer(capacity: 1024)
        buffer.writeBytes(message.serialized())
        let promise = written.map { done in
            // On the server's loop even when the connection runs on the TLS loop: `done` touches server state.
            let promise = eventLoop.makePromise(of: Void.self)
            let bound = NIOLoopBound(done, eventLoop: eventLoop)
            promise.futureResult.whenComplete { result in
                if case .success = result { bound.value(true) } else { bound.value(false) }
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

    // MARK: Sessions

    /// Ends a dialog from our side with a BYE (RTP timeout, missing ACK, shutdown, an expired session
    /// timer, an SRC that is gone).
    public func terminate(dialogID: String, cause: SessionEnd) {
        eventLoop.preconditionInEventLoop()
        sessions.terminate(dialogID: dialogID, cause: cause)
    }

    /// Asks the dialog's SRC whether the dialog still exists (in-dialog OPTIONS). No answer, 408 or 481
    /// (RFC 4028 §10, RFC 5057) means it is gone: the session is ended (`srcGone`) with `why` logged.
    public func probe(dialogID: String, because why: String) {
        requests.probe(dialogID: dialogID, because: why)
    }

    /// A SIP/TCP or SIP/TLS connection closed: its aliases and certificate are forgotten, its sessions wait
    /// for their SRC to come back.
    func connectionClosed(_ channel: Channel) {
        aliases.forget(channel)
        tlsPeers.forget(channel)
        sessions.connectionClosed(channel)
    }
}
