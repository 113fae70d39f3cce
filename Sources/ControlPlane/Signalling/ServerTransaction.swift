import SIPCore

/// RFC 3261 timer base values.
public struct SIPTimers: Sendable {
    public var t1: Duration = .milliseconds(500)
    public var t2: Duration = .seconds(4)
    public var t4: Duration = .seconds(5)
    public init() {}
    /// Timers B, F, H, J, L: 64 × T1.
    public var transactionTimeout: Duration { t1 * 64 }
}

/// A server transaction (RFC 3261 §17.2, with the INVITE "Accepted" state of RFC 6026) as a pure state
/// machine: each event returns the actions the I/O layer must perform. Sockets and timers live outside.
struct ServerTransaction {
    enum Kind { case invite, nonInvite }
    enum State { case proceeding, completed, accepted, confirmed, terminated }

    enum Action: Equatable {
        /// Send this response to the transaction's peer.
        case send(SIPMessage)
        /// (Re)arm the retransmission timer (G for INVITE errors, 2xx retransmission for INVITE success).
        case armRetransmit(Duration)
        /// Arm the timer after which the transaction ends (H, I, J, L).
        case armTimeout(Duration)
        /// The transaction is over; forget it.
        case terminate
        /// A 2xx was never acknowledged: the dialog must be ended (RFC 3261 §13.3.1.4).
        case reportMissingAck
    }

    let kind: Kind
    /// True on TCP: no retransmissions.
    let reliable: Bool
    let timers: SIPTimers
    private(set) var state: State = .proceeding
    private(set) var lastResponse: SIPMessage?
    private var interval: Duration

    init(kind: Kind, reliable: Bool, timers: SIPTimers = SIPTimers()) {
        self.kind = kind
        self.reliable = reliable
        self.timers = timers
        interval = timers.t1
    }

    /// The same request came again: answer with what was last sent (absorbs retransmissions).
    mutating func requestRetransmitted() -> [Action] {
        guard let lastResponse, state != .terminated, state != .confirmed else { return [] }
        return [.send(lastResponse)]
    }

    /// The TU answers.
    mutating func respond(_ response: SIPMessage) -> [Action] {
        guard state == .proceeding, let code = response.statusCode else { return [] }
        lastResponse = response
        if code < 200 { return [.send(response)] }
        interval = timers.t1
        switch (kind, code < 300) {
        case (.invite, true):
            state = .accepted
            return [.send(response)] + (reliable ? [] : [.armRetransmit(interval)]) + [.armTimeout(timers.transactionTimeout)]
        case (.invite, false):
            state = .completed
            return [.send(response)] + (reliable ? [] : [.armRetransmit(interval)]) + [.armTimeout(timers.transactionTimeout)]
        case (.nonInvite, _):
            state = .completed
            return [.send(response), reliable ? .terminate : .armTimeout(timers.transactionTimeout)]
        }
    }

    /// Retransmission timer fired: resend, doubling the interval up to T2.
    mutating func retransmitTimerFired() -> [Action] {
        guard !reliable, state == .completed || state == .accepted, let lastResponse else { return [] }
        interval = min(interval * 2, timers.t2)
        return [.send(lastResponse), .armRetransmit(interval)]
    }

    /// An ACK arrived (for a final response of this INVITE transaction).
    mutating func ackReceived() -> [Action] {
        switch state {
        case .completed:
            state = .confirmed
            return reliable ? [.terminate] : [.armTimeout(timers.t4)]
        case .accepted:
            // RFC 6026: stay until Timer L so a late retransmission of the INVITE is absorbed, not taken
            // for a new session; the 2xx is no longer retransmitted.
            state = .confirmed
            return []
        default:
            return []
        }
    }

    /// The end-of-transaction timer fired.
    mutating func timeoutFired() -> [Action] {
        let unacknowledged2xx = state == .accepted
        state = .terminated
        return unacknowledged2xx ? [.reportMissingAck, .terminate] : [.terminate]
    }
}
