import NIOCore
import SIPCore
import SystemLayer

/// The recording sessions' dialogs (RFC 3261 §12–§15 as UAS, RFC 3264 offer/answer): a new INVITE is
/// answered once the delegate (the recording service) decides; re-INVITE and UPDATE change a session;
/// ACK, CANCEL and BYE complete, withdraw and end it; session timers and closing connections are watched
/// (`InviteSessions+Connections`). The transaction layer (`SIPServer+Transactions`) carries every response.
///
/// Confined to the SIP server's event loop; owned by the server (unowned back-reference).
final class InviteSessions: @unchecked Sendable {
    // @unchecked: every mutable property is touched only on the server's event loop.
    unowned let server: SIPServer
    /// Live dialogs by id ("call-id;our-tag").
    var dialogs: [String: Dialog] = [:]
    /// Dialogs by the SIP/TCP or SIP/TLS connection their requests arrive on (an SBC may carry thousands of
    /// calls on one connection; a dialog leaves the set when it ends).
    var byConnection: [ObjectIdentifier: Set<String>] = [:]
    /// INVITE transactions waiting for the delegate's decision, with their would-be dialog id.
    var pendingOffers: [TransactionKey: String] = [:]

    init(server: SIPServer) {
        self.server = server
    }

    /// A new recording session: 100 Trying at once, then the delegate decides and we answer with SDP.
    func offered(_ invite: SIPMessage, key: TransactionKey, flow: SIPFlow) {
        let receivedNanos = monotonicNanos()
        server.statistics.sessionsOffered += 1
        let localTag = generateSIPToken(length: 10)
        let unsupported = invite.headerValues("Require").filter { !["siprec", "timer"].contains($0.lowercased()) }
        if !unsupported.isEmpty {
            server.respond(key, statusCode: 420, toTag: localTag,
                           extraHeaders: [SIPHeader(name: "Unsupported", value: unsupported.joined(separator: ", "))])
            return
        }
        // (Sources outside `[sip] allow` never get here: `receive(message:flow:)` refuses them.)
        // RFC 3261 §26.2.2, RFC 5630 §3.1.3: a sips: session must have come over TLS, on this hop at least.
        if invite.requestURI?.scheme.lowercased() == "sips", flow.transport != .tls {
            server.statistics.sessionsRejected += 1
            server.respond(key, statusCode: 416, reason: "Unsupported URI Scheme - a sips: Request-URI must arrive over TLS", toTag: localTag)
            return
        }
        let timer = SessionTimer.negotiate(invite, settings: server.settings.sessionTimers)
        guard !refuses(timer, key: key, toTag: localTag), let body = parseBody(invite, key: key, toTag: localTag) else {
            server.statistics.sessionsRejected += 1
            return
        }
        // No SDP is a delayed offer (Cisco CUCM Built-in-Bridge): siprecd offers in its 200 OK.
        let sdp = body.sdp
        server.respond(key, statusCode: 100, toTag: nil)
        let callID = invite.callID ?? ""
        let dialogID = "\(callID);\(localTag)"
        server.transactions[key]?.dialogID = dialogID
        pendingOffers[key] = dialogID
        let offer = SessionOffer(
            dialogID: dialogID, callID: callID, requestURI: invite.requestURI, from: invite.from, to: invite.to,
            source: flow.remoteDescription, transport: flow.transport,
            siprecIndications: SessionBody.siprecIndications(invite, body: body), sdp: sdp, metadata: body.metadata,
            metadataError: body.metadataError, metadataRepairs: body.metadataRepairs, metadataText: body.metadataText, invite: invite)
        guard let delegate = server.delegate else {
            pendingOffers[key] = nil
            server.respond(key, statusCode: 503, toTag: localTag)
            return
        }
        delegate.sessionOffered(offer) { [self] decision in
            server.eventLoop.preconditionInEventLoop()
            guard pendingOffers.removeValue(forKey: key) != nil else {
                // Cancelled while the decision was pending.
                if case .accept = decision {
                    delegate.sessionEnded(dialogID: dialogID, cause: .cancelled, atNanos: monotonicNanos())
                }
                return
            }
            switch decision {
            case .accept(let answer):
                var dialog = Dialog(
                    id: dialogID, callID: callID, domain: invite.requestURI?.host.lowercased() ?? "", localTag: localTag,
                    remoteTag: invite.from?.tag,
                    localAddress: InviteSessions.addingTag(localTag, to: invite.header("To") ?? ""),
                    remoteAddress: invite.header("From") ?? "",
                    remoteTarget: invite.contact.first?.rawURI ?? invite.from?.rawURI ?? "",
                    routeSet: invite.headerValues("Record-Route"), flow: flow,
                    remoteCSeq: invite.cseq?.number ?? 0)
                dialog.answer = answer
                dialog.secure = invite.requestURI?.scheme.lowercased() == "sips"
                dialog.overTLS = flow.transport == .tls
                dialog.peerIdentity = server.tlsPeers.identity(of: flow.channel) ?? ""
                dialog.pendingInvite = key
                dialog.pendingInviteCSeq = invite.cseq?.number ?? 0
                dialog.answerExpectedInAck = sdp == nil
                dialog.initialAnswerExpected = sdp == nil
                dialog.timer = timer.negotiated
                dialogs[dialogID] = dialog
                track(dialogID, on: flow)
                server.respond(key, statusCode: 200, toTag: localTag,
                               extraHeaders: server.answerHeaders(flow: flow, invite: invite) + (timer.negotiated?.responseHeaders ?? []),
                               body: answer.serialized(), contentType: "application/sdp")
                armSessionTimer(dialogID)
                server.statistics.inviteAnswer.record(nanos: monotonicNanos() - receivedNanos)
            case .reject(let statusCode, let reason, let warningCode):
                server.statistics.sessionsRejected += 1
                server.respond(key, statusCode: statusCode, reason: reason, toTag: localTag, warningCode: warningCode)
            }
        }
    }

    /// True when the request's Session-Expires (RFC 4028) is below our minimum: answered here 422 with our Min-SE.
    func refuses(_ timer: SessionTimer.Negotiation, key: TransactionKey, toTag: String?) -> Bool {
        guard case .tooSmall(let minimum) = timer else { return false }
        server.respond(key, statusCode: 422, reason: "Session Interval Too Small - Session-Expires must be at least \(minimum) s", toTag: toTag,
                       extraHeaders: [SIPHeader(name: "Min-SE", value: String(minimum))])
        return true
    }

    /// The request's SDP and metadata, or nil when its body is unusable (answered here 400 with why).
    func parseBody(_ request: SIPMessage, key: TransactionKey, toTag: String?) -> SessionBody? {
        do {
            return try SessionBody.parse(request)
        } catch {
            server.respond(key, statusCode: 400, reason: "Bad Request - \(error.reason)", toTag: toTag)
            return nil
        }
    }

    /// CANCEL (RFC 3261 §9.2): 200 to the CANCEL; 487 to the INVITE when it is still unanswered.
    func cancel(_ cancel: SIPMessage, key: TransactionKey) {
        var inviteKey = key
        inviteKey.method = "INVITE"
        guard server.transactions[inviteKey] != nil else {
            server.respond(key, statusCode: 481, toTag: generateSIPToken(length: 10))
            return
        }
        server.respond(key, statusCode: 200, toTag: cancel.to?.tag ?? pendingOffers[inviteKey]?.tagPart)
        if let dialogID = pendingOffers.removeValue(forKey: inviteKey) {
            server.respond(inviteKey, statusCode: 487, toTag: dialogID.tagPart)
            server.logger.info("session cancelled before answer", metadata: ["dialog": "\(dialogID)"])
        }
    }

    /// Ends a dialog from our side with a BYE (RTP timeout, missing ACK, shutdown, an expired session
    /// timer, an SRC that is gone).
    func terminate(dialogID: String, cause: SessionEnd) {
        guard var dialog = dialogs.removeValue(forKey: dialogID) else { return }
        dialog.timerTask?.cancel()
        untrack(dialog)
        let (bye, branch) = server.requests.makeRequest("BYE", in: &dialog, flow: dialog.flow)
        server.requests.startClientTransaction(bye, branch: branch, flow: dialog.flow, completion: nil)
        server.logger.info("session ended by us", metadata: ["dialog": "\(dialogID)", "cause": "\(cause.rawValue)"])
        server.delegate?.sessionEnded(dialogID: dialogID, cause: cause, atNanos: monotonicNanos())
    }

    /// The id of the dialog an in-dialog request belongs to (Call-ID and our tag, found in To), when its
    /// From tag is the SRC's tag of that dialog too (RFC 3261 §12.2.2: a dialog is Call-ID and both tags).
    func dialogID(of request: SIPMessage) -> String? {
        guard let callID = request.callID, let tag = request.to?.tag else { return nil }
        let id = "\(callID);\(tag)"
        if let dialog = dialogs[id], let remoteTag = dialog.remoteTag, request.from?.tag != remoteTag {
            server.notices.log(.notice, "in-dialog request whose From tag is not the dialog's: refused",
                               source: dialog.flow.remote.ipAddress ?? "?", metadata: [
                                   "call_id": "\(callID)", "source": "\(dialog.flow.remoteDescription)"])
            return nil
        }
        return id
    }

    static func addingTag(_ tag: String, to header: String) -> String {
        header.lowercased().contains(";tag=") ? header : "\(header);tag=\(tag)"
    }
}

extension String {
    /// The tag half of a dialog id ("call-id;tag").
    var tagPart: String? {
        guard let semicolon = lastIndex(of: ";") else { return nil }
        return String(self[index(after: semicolon)...])
    }
}
