import NIOCore
import SIPCore
import SystemLayer

/// A session changes: re-INVITE and UPDATE (pause, resume, new ports or codecs, new metadata), the glare
/// between them and our pending 2xx, the ACK that confirms a 2xx (and may carry the SRC's answer), and the
/// other requests inside a dialog.
extension InviteSessions {
    /// Requests inside a dialog: re-INVITE and UPDATE modify the session, BYE ends it.
    func inDialog(_ request: SIPMessage, key: TransactionKey, entry: SIPServer.TransactionEntry) {
        let method = request.method ?? ""
        guard let dialogID = dialogID(of: request), var dialog = dialogs[dialogID] else {
            server.statistics.dialogMismatches += 1
            server.respond(key, statusCode: 481, toTag: nil)
            return
        }
        entry.dialogID = dialogID
        // (A session set up over TLS got here over TLS from its own SRC: `TLSPeers.refusesOutsideItsTLS`.)
        if entry.flow.transport.isConnection, entry.flow.channel !== dialog.flow.channel {
            // The SRC reconnected (RFC 5923 reuse, or a new connection after a restart): answer it there.
            move(dialogID, to: entry.flow)
            dialog.flow = entry.flow
        }
        if let cseq = request.cseq?.number {
            if cseq <= dialog.remoteCSeq, method != "CANCEL" {
                server.respond(key, statusCode: 500, reason: "Server Internal Error - CSeq out of order", toTag: nil)
                return
            }
            dialog.remoteCSeq = cseq
            dialogs[dialogID] = dialog
        }
        switch method {
        case "INVITE", "UPDATE":
            modified(request, key: key, dialogID: dialogID)
        case "BYE":
            server.respond(key, statusCode: 200, toTag: nil)
            // A BYE before the ACK also ends the 2xx retransmission of the INVITE it answers.
            if let pending = dialogs[dialogID]?.pendingInvite, let entry = server.transactions[pending] {
                server.perform(entry.machine.ackReceived(), key: pending)
            }
            if let ended = dialogs.removeValue(forKey: dialogID) {
                ended.timerTask?.cancel()
                untrack(ended)
            }
            server.logger.info("session ended by BYE", metadata: ["dialog": "\(dialogID)"])
            server.delegate?.sessionEnded(dialogID: dialogID, cause: .bye, atNanos: entry.flow.readNanos)
        case "OPTIONS":
            server.respond(key, statusCode: 200, toTag: nil, extraHeaders: server.capabilityHeaders())
        default:
            server.rejectMethod(method, key: key, toTag: nil)
        }
    }

    /// re-INVITE / UPDATE: new SDP (pause, resume, ports, codecs) and/or metadata.
    func modified(_ request: SIPMessage, key: TransactionKey, dialogID: String) {
        guard settlePendingInvite(before: request, key: key, dialogID: dialogID) else { return }
        // Every re-INVITE and UPDATE refreshes the session (RFC 4028 §9) and may change its timer.
        let timer = SessionTimer.negotiate(request, settings: server.settings.sessionTimers)
        guard !refuses(timer, key: key, toTag: nil), let body = parseBody(request, key: key, toTag: nil) else { return }
        let update = SessionUpdate(dialogID: dialogID, sdp: body.sdp, metadata: body.metadata,
                                   metadataError: body.metadataError, metadataRepairs: body.metadataRepairs,
                                   receivedNanos: server.transactions[key]?.flow.readNanos ?? monotonicNanos())
        let decision = server.delegate?.sessionUpdated(update) ?? .reject(statusCode: 481, reason: "Call/Transaction Does Not Exist")
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
            dialog.timer = timer.negotiated
            dialogs[dialogID] = dialog
            server.respond(key, statusCode: 200, toTag: nil,
                           extraHeaders: server.answerHeaders(flow: dialog.flow, invite: request) + (timer.negotiated?.responseHeaders ?? []),
                           body: includeSDP ? answer.serialized() : [], contentType: includeSDP ? "application/sdp" : nil)
            armSessionTimer(dialogID)
        case .reject(let statusCode, let reason, let warningCode):
            server.respond(key, statusCode: statusCode, reason: reason, toTag: nil, warningCode: warningCode)
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
            server.respond(key, statusCode: 491, reason: "Request Pending", toTag: nil)
            server.logger.info("re-INVITE glare: an offer arrived before the ACK with the answer to ours; 491",
                               metadata: ["dialog": "\(dialogID)", "sip_method": "\(request.method ?? "")"])
            return false
        }
        guard request.method == "INVITE" else { return true }
        dialog.pendingInvite = nil
        dialog.confirmed = true
        dialogs[dialogID] = dialog
        if let entry = server.transactions[pending] {
            server.perform(entry.machine.ackReceived(), key: pending)
        }
        return true
    }

    /// The ACK of a 2xx (RFC 3261 §13.2.2.4): confirms the dialog, ends the 2xx's retransmission and, after
    /// a delayed offer, carries the SRC's answer to the SDP we offered.
    func acknowledged(_ ack: SIPMessage, flow: SIPFlow) {
        guard let dialogID = dialogID(of: ack), var dialog = dialogs[dialogID] else { return }
        dialog.confirmed = true
        // An ACK for an earlier INVITE (a retransmission of a lost one) must not end a later re-INVITE's 2xx.
        guard dialog.pendingInvite != nil, ack.cseq?.number == dialog.pendingInviteCSeq else {
            dialogs[dialogID] = dialog
            return
        }
        let pending = dialog.pendingInvite
        let answerInAck = dialog.answerExpectedInAck, initial = dialog.initialAnswerExpected
        dialog.pendingInvite = nil
        dialog.answerExpectedInAck = false
        dialog.initialAnswerExpected = false
        dialogs[dialogID] = dialog
        if let pending, let entry = server.transactions[pending] {
            server.perform(entry.machine.ackReceived(), key: pending)
        }
        guard answerInAck else { return }
        // Delayed offer (RFC 3264 §8): the SRC's answer to the SDP we offered is in the ACK — apply it
        // like an update (e.g. a hold that makes every stream inactive).
        let body: SessionBody?
        var problem = "the ACK has no SDP"
        do {
            body = try SessionBody.parse(ack)
        } catch {
            body = nil
            problem = "the ACK's body is unusable: \(error.reason)"
        }
        if let body, let sdp = body.sdp {
            _ = server.delegate?.sessionUpdated(SessionUpdate(dialogID: dialogID, sdp: sdp, metadata: body.metadata,
                                                              metadataError: body.metadataError, metadataRepairs: body.metadataRepairs,
                                                              receivedNanos: flow.readNanos))
        } else if initial {
            server.logger.warning("delayed offer not answered: the SRC's ACK carried no SDP answer to siprecd's offer; ending the session",
                                  metadata: ["dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)", "reason": "\(problem)"])
            terminate(dialogID: dialogID, cause: .noAnswerInAck)
        } else {
            server.logger.warning("the ACK to a re-INVITE without SDP carried no answer to siprecd's offer; the session keeps its previous SDP",
                                  metadata: ["dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)", "reason": "\(problem)"])
        }
    }
}
