import RecordingMetadata
import SIPCore

/// Follows SIP between other parties (a mirror port or a capture file): pairs each INVITE's SDP offer
/// with its 200 OK's answer to learn where every labelled stream's RTP goes, follows re-INVITEs and
/// ends calls on BYE. Pure logic: messages in (with their addresses and times), events out.
public struct PassiveSessionTracker: Sendable {
    /// Record plain SIP calls too (not SIPREC); their caller is the From side.
    public var recordPlainCalls: Bool

    struct Pending: Sendable {
        var invite: SIPMessage
        var offer: SDPSession
        var body: SessionBody
        var source: String
        var cseq: UInt32
        var nanos: Int64
    }

    /// How long an INVITE without a final response is remembered (64 × T1).
    static let pendingLifetime: Int64 = 32_000_000_000
    /// How many ignored calls are kept for reports (the oldest go first).
    static let ignoredLimit = 100

    private var pending: [String: Pending] = [:]
    private var established: [String: ObservedSession] = [:]
    /// Calls whose INVITE could not be used, with the reason (for the log).
    public private(set) var ignored: [(callID: String, reason: String)] = []

    public init(recordPlainCalls: Bool = true) {
        self.recordPlainCalls = recordPlainCalls
    }

    public var activeCallIDs: [String] { Array(established.keys) }

    /// Feeds one SIP message sent from `source` to `destination` ("ip:port") at `nanos`.
    public mutating func observe(_ message: SIPMessage, source: String, destination: String, atNanos nanos: Int64) -> [ObservedEvent] {
        // INVITEs whose final response was never seen on the mirror must not pile up.
        if !pending.isEmpty { pending = pending.filter { nanos - $0.value.nanos < Self.pendingLifetime } }
        if ignored.count > Self.ignoredLimit { ignored.removeFirst(ignored.count - Self.ignoredLimit) }
        guard let callID = message.callID, let cseq = message.cseq else { return [] }
        if let method = message.method {
            return observeRequest(message, method: method, callID: callID, cseq: cseq.number, source: source, nanos: nanos)
        }
        let key = PassiveSessionTracker.pendingKey(callID, cseq.number)
        guard let code = message.statusCode, cseq.method == "INVITE" || cseq.method == "UPDATE",
              let offered = pending[key] else { return [] }
        if code < 200 { return [] }
        pending[key] = nil
        guard code < 300 else { return [] }
        guard let answerBody = try? SessionBody.parse(message), let answer = answerBody.sdp else {
            ignored.append((callID, "200 OK without SDP answer"))
            return []
        }
        if var session = established[callID] {
            // A re-INVITE from the far side (the callee, or the SRS) carries that side's SDP as the offer:
            // keep "offer" meaning the call originator's side so streams do not swap directions.
            // The From tag tells (the far side's requests carry its own tag); the sending address backs it up.
            let fromOriginator = offered.invite.from?.tag == session.invite.from?.tag && offered.source == session.source
            let originatorSDP = fromOriginator ? offered.offer : answer
            let farSDP = fromOriginator ? answer : offered.offer
            session.answer = farSDP
            session.offer = originatorSDP
            if let metadata = offered.body.metadata { session.metadata = session.metadata.map { $0.merging(metadata) } ?? metadata }
            session.streams = PassiveSessionTracker.streams(offer: originatorSDP, answer: farSDP, plain: !session.isSiprec)
            established[callID] = session
            // The change takes effect when the SRS got the re-INVITE (its capture time), as in active mode.
            return [.updated(session, atNanos: offered.nanos)]
        }
        let indications = SessionBody.siprecIndications(offered.invite, body: offered.body)
        guard !indications.isEmpty || recordPlainCalls else {
            ignored.append((callID, "not a SIPREC session and plain calls are not recorded"))
            return []
        }
        let session = ObservedSession(
            callID: callID, invite: offered.invite, offer: offered.offer, answer: answer,
            metadata: offered.body.metadata, metadataError: offered.body.metadataError,
            metadataRepairs: offered.body.metadataRepairs, siprecIndications: indications,
            source: offered.source,
            streams: PassiveSessionTracker.streams(offer: offered.offer, answer: answer, plain: indications.isEmpty))
        established[callID] = session
        return [.started(session, atNanos: nanos)]
    }

    private mutating func observeRequest(_ message: SIPMessage, method: String, callID: String, cseq: UInt32,
                                         source: String, nanos: Int64) -> [ObservedEvent] {
        switch method {
        case "INVITE", "UPDATE":
            guard let body = try? SessionBody.parse(message) else {
                ignored.append((callID, "unusable INVITE body"))
                return []
            }
            if let sdp = body.sdp {
                pending[PassiveSessionTracker.pendingKey(callID, cseq)] =
                    Pending(invite: message, offer: sdp, body: body, source: source, cseq: cseq, nanos: nanos)
            } else if let metadata = body.metadata, var session = established[callID] {
                session.metadata = session.metadata.map { $0.merging(metadata) } ?? metadata
                established[callID] = session
                return [.updated(session, atNanos: nanos)]
            }
            return []
        case "CANCEL":
            // No effect by itself: the INVITE's 487 clears it, and a CANCEL that crossed a 200 OK on the
            // wire does not stop the call (RFC 3261 §9.1).
            return []
        case "BYE":
            pending = pending.filter { !$0.key.hasPrefix("\(callID)#") }
            guard established.removeValue(forKey: callID) != nil else { return [] }
            return [.ended(callID: callID, atNanos: nanos)]
        default:
            return []
        }
    }

    /// Forgets a call that ended without a BYE seen (RTP timeout on a mirror port that missed it).
    public mutating func forget(callID: String) {
        established[callID] = nil
        pending = pending.filter { !$0.key.hasPrefix("\(callID)#") }
    }

    /// Ends every call still up (end of a capture file).
    public mutating func endAll(atNanos nanos: Int64) -> [ObservedEvent] {
        defer { established.removeAll(); pending.removeAll() }
        return established.keys.sorted().map { .ended(callID: $0, atNanos: nanos) }
    }

    static func pendingKey(_ callID: String, _ cseq: UInt32) -> String { "\(callID)#\(cseq)" }

    /// Where each m-line's RTP goes. SIPREC: the SRC sends every stream to the SRS's answered address.
    /// Plain call: the caller's audio goes to the answer's address, the callee's to the offer's.
    static func streams(offer: SDPSession, answer: SDPSession, plain: Bool) -> [ObservedSession.Stream] {
        var result: [ObservedSession.Stream] = []
        for (index, answered) in answer.media.enumerated() where answered.type == "audio" {
            let accepted = answered.port != 0
            let answerHost = answered.connection?.address ?? answer.connection?.address ?? ""
            let direction = answered.effectiveDirection(session: answer)
            let offeredMedia = index < offer.media.count ? offer.media[index] : nil
            result.append(.init(mLineIndex: index, label: offeredMedia?.label ?? answered.label,
                                destinationAddress: answerHost, destinationPort: answered.port, receiverMedia: answered,
                                plainCallRole: plain ? "caller" : nil,
                                active: accepted && direction != .inactive && direction != .sendonly,
                                srtp: ObservedSRTPKey.of(offered: offeredMedia, answered: answered, sentByOfferer: true)))
            if plain, index < offer.media.count {
                let offered = offer.media[index]
                let offerHost = offered.connection?.address ?? offer.connection?.address ?? ""
                let offerDirection = offered.effectiveDirection(session: offer)
                result.append(.init(mLineIndex: index, label: offered.label, destinationAddress: offerHost,
                                    destinationPort: offered.port, receiverMedia: offered, plainCallRole: "callee",
                                    active: accepted && offered.port != 0 && offerDirection != .inactive && offerDirection != .sendonly,
                                    srtp: ObservedSRTPKey.of(offered: offered, answered: answered, sentByOfferer: false)))
            }
        }
        return result
    }
}
