import NIOCore
import SIPCore
import SystemLayer

extension SIPServer {
    /// A new recording session: 100 Trying at once, then the delegate decides and we answer with SDP.
    func handleNewInvite(_ invite: SIPMessage, key: TransactionKey, flow: SIPFlow) {
        let receivedNanos = monotonicNanos()
        statistics.sessionsOffered += 1
        let localTag = generateSIPToken(length: 10)
        let unsupported = invite.headerValues("Require").filter { !["siprec", "timer"].contains($0.lowercased()) }
        if !unsupported.isEmpty {
            respond(key, statusCode: 420, toTag: localTag,
                    extraHeaders: [SIPHeader(name: "Unsupported", value: unsupported.joined(separator: ", "))])
            return
        }
        // (Sources outside `[sip] allow` never get here: `receive(message:flow:)` refuses them.)
        // RFC 3261 §26.2.2, RFC 5630 §3.1.3: a sips: session must have come over TLS, on this hop at least.
        if invite.requestURI?.scheme.lowercased() == "sips", flow.transport != .tls {
            statistics.sessionsRejected += 1
            respond(key, statusCode: 416, reason: "Unsupported URI Scheme - a sips: Request-URI must arrive over TLS", toTag: localTag)
            return
        }
        let timer: SessionTimer?
        switch SessionTimer.negotiate(invite, settings: settings.sessionTimers) {
        case .tooSmall(let minimum):
            statistics.sessionsRejected += 1
            respond(key, statusCode: 422, reason: "Session Interval Too Small - Session-Expires must be at least \(minimum) s", toTag: localTag,
                    extraHeaders: [SIPHeader(name: "Min-SE", value: String(minimum))])
            return
        case .timer(let negotiated): timer = negotiated
        case .none: timer = nil
        }
        let body: SessionBody
        do {
            body = try SessionBody.parse(invite)
        } catch {
            statistics.sessionsRejected += 1
            respond(key, statusCode: 400, reason: "Bad Request - \(error.reason)", toTag: localTag)
            return
        }
        // No SDP is a delayed offer (Cisco CUCM Built-in-Bridge): siprecd offers in its 200 OK.
        let sdp = body.sdp
        respond(key, statusCode: 100, toTag: nil)
        let callID = invite.callID ?? ""
        let dialogID = "\(callID);\(localTag)"
        transactions[key]?.dialogID = dialogID
        pendingOffers[key] = dialogID
        let offer = SessionOffer(
            dialogID: dialogID, callID: callID, requestURI: invite.requestURI, from: invite.from, to: invite.to,
            source: flow.remoteDescription, transport: flow.transport,
            siprecIndications: SessionBody.siprecIndications(invite, body: body), sdp: sdp, metadata: body.metadata,
            metadataError: body.metadataError, metadataRepairs: body.metadataRepairs, metadataText: body.metadataText, invite: invite)
        guard let delegate else {
            pendingOffers[key] = nil
            respond(key, statusCode: 503, toTag: localTag)
            return
        }
        delegate.sessionOffered(offer) { [self] decision in
            eventLoop.preconditionInEventLoop()
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
                    localAddress: SIPServer.addingTag(localTag, to: invite.header("To") ?? ""),
                    remoteAddress: invite.header("From") ?? "",
                    remoteTarget: invite.contact.first?.rawURI ?? invite.from?.rawURI ?? "",
                    routeSet: invite.headerValues("Record-Route"), flow: flow,
                    remoteCSeq: invite.cseq?.number ?? 0)
                dialog.answer = answer
                dialog.secure = invite.requestURI?.scheme.lowercased() == "sips"
                dialog.overTLS = flow.transport == .tls
                dialog.peerIdentity = tlsPeers[ObjectIdentifier(flow.channel)] ?? ""
                dialog.pendingInvite = key
                dialog.pendingInviteCSeq = invite.cseq?.number ?? 0
                dialog.answerExpectedInAck = sdp == nil
                dialog.initialAnswerExpected = sdp == nil
                dialog.timer = timer
                dialogs[dialogID] = dialog
                track(dialogID, on: flow)
                respond(key, statusCode: 200, toTag: localTag,
                        extraHeaders: answerHeaders(flow: flow, invite: invite) + (timer?.responseHeaders ?? []),
                        body: answer.serialized(), contentType: "application/sdp")
                armSessionTimer(dialogID)
                statistics.inviteAnswer.record(nanos: monotonicNanos() - receivedNanos)
            case .reject(let statusCode, let reason, let warningCode):
                statistics.sessionsRejected += 1
                respond(key, statusCode: statusCode, reason: reason, toTag: localTag, warningCode: warningCode)
            }
        }
    }

    /// re-INVITE / UPDATE: new SDP (pause, resume, ports, codecs) and/or metadata.
    func handleModification(_ request: SIPMessage, key: TransactionKey, dialogID: String) {
        guard settlePendingInvite(before: request, key: key, dialogID: dialogID) else { return }
        // Every re-INVITE and UPDATE refreshes the session (RFC 4028 §9) and may change its timer.
        let timer: SessionTimer?
        switch SessionTimer.negotiate(request, settings: settings.sessionTimers) {
        case .tooSmall(let minimum):
            respond(key, statusCode: 422, reason: "Session Interval Too Small - Session-Expires must be at least \(minimum) s", toTag: nil,
                    extraHeaders: [SIPHeader(name: "Min-SE", value: String(minimum))])
            return
        case .timer(let negotiated): timer = negotiated
        case .none: timer = nil
        }
        let body: SessionBody
        do {
            body = try SessionBody.parse(request)
        } catch {
            respond(key, statusCode: 400, reason: "Bad Request - \(error.reason)", toTag: nil)
            return
        }
        let update = SessionUpdate(dialogID: dialogID, sdp: body.sdp, metadata: body.metadata,
                                   metadataError: body.metadataError, metadataRepairs: body.metadataRepairs,
                                   receivedNanos: transactions[key]?.flow.readNanos ?? monotonicNanos())
        let decision = delegate?.sessionUpdated(update) ?? .reject(statusCode: 481, reason: "Call/Transaction Does Not Exist")
        switch decision {
        case .accept(var answer):
            guard var dialog = dialogs[dialogID] else { return }
            let isInvite = request.method == "INVITE"
            // An UPDATE without an offer gets no SDP; a re-INVITE always carries one (offer or answer).
            let includeSDP = isInvite || body.sdp != nil
            // RFC 3264 §8: the o= version goes up by one when the SDP changes, and only then.
            var comparable = answer
            comparable.origin = dialog.answer?.origin
            if includeSDP, comparable != dialog.answer { dialog.answerVersion += 1 }
            answer.origin = dialog.answer?.origin ?? answer.origin
            answer.origin?.sessionVersion = String(dialog.answerVersion)
            if includeSDP { dialog.answer = answer }
            if isInvite {
                dialog.pendingInvite = key
                dialog.pendingInviteCSeq = request.cseq?.number ?? 0
                dialog.answerExpectedInAck = body.sdp == nil
            }
            dialog.timer = timer
            dialogs[dialogID] = dialog
            respond(key, statusCode: 200, toTag: nil,
                    extraHeaders: answerHeaders(flow: dialog.flow, invite: request) + (timer?.responseHeaders ?? []),
                    body: includeSDP ? answer.serialized() : [], contentType: includeSDP ? "application/sdp" : nil)
            armSessionTimer(dialogID)
        case .reject(let statusCode, let reason, let warningCode):
            respond(key, statusCode: statusCode, reason: reason, toTag: nil, warningCode: warningCode)
        }
    }

    /// Glare (RFC 3261 §14, RFC 6337 §3): while our 2xx to an earlier INVITE still waits for its ACK,
    /// - if that 2xx carried *our offer* (the SRC's re-INVITE had no SDP), a new offer would cross it:
    ///   the request is answered 491 Request Pending and the SRC retries after sending the ACK;
    /// - otherwise the SRC has our 2xx (it moved on to a higher CSeq): a new re-INVITE completes the
    ///   earlier one — its 2xx stops being retransmitted and the dialog counts as confirmed.
    /// Returns false when the request was answered here.
    func settlePendingInvite(before request: SIPMessage, key: TransactionKey, dialogID: String) -> Bool {
        guard var dialog = dialogs[dialogID], let pending = dialog.pendingInvite else { return true }
        let bringsOffer = request.method == "INVITE" || request.body.isEmpty == false
        if dialog.answerExpectedInAck {
            guard bringsOffer else { return true }
            respond(key, statusCode: 491, reason: "Request Pending", toTag: nil)
            logger.info("re-INVITE glare: an offer arrived before the ACK with the answer to ours; 491",
                        metadata: ["dialog": "\(dialogID)", "sip_method": "\(request.method ?? "")"])
            return false
        }
        guard request.method == "INVITE" else { return true }
        dialog.pendingInvite = nil
        dialog.confirmed = true
        dialogs[dialogID] = dialog
        if let entry = transactions[pending] {
            perform(entry.machine.ackReceived(), key: pending)
        }
        return true
    }

    func answerHeaders(flow: SIPFlow, invite: SIPMessage) -> [SIPHeader] {
        let host = localHost(for: invite)
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let secure = invite.requestURI?.scheme.lowercased() == "sips"
        return [SIPHeader(name: "Contact", value: contact(host: bracketed, transport: flow.transport, secure: secure))]
            + capabilityHeaders()
    }

    /// siprecd's Contact on `transport`: the listening port of that transport, a `sips:` URI in a dialog
    /// whose Request-URI was one (RFC 3261 §12.1.1), else `transport=tcp|tls` for connections.
    func contact(host bracketed: String, transport: SIPFlow.Transport, secure: Bool) -> String {
        let port = settings.port(for: transport)
        if secure { return "<sips:siprecd@\(bracketed):\(port)>;+sip.srs" }
        return "<sip:siprecd@\(bracketed):\(port)\(transport.uriParameter)>;+sip.srs"
    }

    /// The address the SRC reached us on: the configured host unless it is a wildcard, else the
    /// Request-URI's host when it is an IP literal.
    public func localHost(for request: SIPMessage) -> String {
        let configured = settings.advertisedHost
        if configured != "0.0.0.0", configured != "::" { return configured }
        if let host = request.requestURI?.host, host.first?.isNumber == true || host.contains(":") { return host }
        return "127.0.0.1"
    }

    static func addingTag(_ tag: String, to header: String) -> String {
        header.lowercased().contains(";tag=") ? header : "\(header);tag=\(tag)"
    }

    /// Ends a dialog from our side with a BYE (RTP timeout, missing ACK, shutdown, an expired session
    /// timer, an SRC that is gone).
    public func terminate(dialogID: String, cause: SessionEnd) {
        eventLoop.preconditionInEventLoop()
        guard var dialog = dialogs.removeValue(forKey: dialogID) else { return }
        dialog.timerTask?.cancel()
        untrack(dialog)
        let (bye, branch) = requests.makeRequest("BYE", in: &dialog, flow: dialog.flow)
        requests.startClientTransaction(bye, branch: branch, flow: dialog.flow, completion: nil)
        logger.info("session ended by us", metadata: ["dialog": "\(dialogID)", "cause": "\(cause.rawValue)"])
        delegate?.sessionEnded(dialogID: dialogID, cause: cause, atNanos: monotonicNanos())
    }
}

extension SIPServer {
    /// Asks the dialog's SRC whether the dialog still exists (in-dialog OPTIONS). No answer, 408 or 481
    /// (RFC 4028 §10, RFC 5057) means it is gone: the session is ended (`srcGone`) with `why` logged.
    public func probe(dialogID: String, because why: String) {
        requests.probe(dialogID: dialogID, because: why)
    }
}
