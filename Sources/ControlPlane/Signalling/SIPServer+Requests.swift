import NIOCore
import SIPCore

extension SIPServer {
    /// Dispatches a valid request: retransmissions to their transaction, ACK and CANCEL specially,
    /// in-dialog requests to their dialog, the rest by method.
    func handleRequest(_ request: SIPMessage, flow: SIPFlow) {
        guard let key = TransactionKey(request), let method = request.method else { return }
        if transactions[key] == nil, refusedOutsideItsTLS(request, key: key, flow: flow) { return }
        if method == "ACK" {
            handleAck(request, key: key, flow: flow)
            return
        }
        if let entry = transactions[key] {
            statistics.retransmissionsAbsorbed += 1
            perform(entry.machine.requestRetransmitted(), key: key)
            return
        }
        let entry = openTransaction(key, request: request, flow: flow)
        if method == "CANCEL" {
            handleCancel(request, key: key)
            return
        }
        if request.to?.tag != nil {
            handleInDialog(request, key: key, entry: entry)
            return
        }
        switch method {
        case "INVITE":
            handleNewInvite(request, key: key, flow: flow)
        case "OPTIONS":
            respond(key, statusCode: 200, toTag: generateSIPToken(length: 10), extraHeaders: capabilityHeaders())
        case "BYE", "UPDATE":
            respond(key, statusCode: 481, toTag: generateSIPToken(length: 10))
        default:
            rejectMethod(method, key: key, toTag: generateSIPToken(length: 10))
        }
    }

    /// 405 for methods SIP defines that a recorder does not take, 501 for methods it does not know.
    func rejectMethod(_ method: String, key: TransactionKey, toTag: String?) {
        if SIPServer.knownMethods.contains(method) {
            respond(key, statusCode: 405, toTag: toTag, extraHeaders: [SIPHeader(name: "Allow", value: SIPServer.allowed)])
        } else {
            respond(key, statusCode: 501, toTag: toTag, extraHeaders: [SIPHeader(name: "Allow", value: SIPServer.allowed)])
        }
    }

    func capabilityHeaders() -> [SIPHeader] {
        [SIPHeader(name: "Allow", value: SIPServer.allowed),
         SIPHeader(name: "Accept", value: "application/sdp, application/rs-metadata+xml, application/rs-metadata, multipart/mixed"),
         SIPHeader(name: "Supported", value: "siprec, replaces, timer")]
    }

    /// CANCEL (RFC 3261 §9.2): 200 to the CANCEL; 487 to the INVITE when it is still unanswered.
    func handleCancel(_ cancel: SIPMessage, key: TransactionKey) {
        var inviteKey = key
        inviteKey.method = "INVITE"
        guard transactions[inviteKey] != nil else {
            respond(key, statusCode: 481, toTag: generateSIPToken(length: 10))
            return
        }
        respond(key, statusCode: 200, toTag: cancel.to?.tag ?? pendingOffers[inviteKey]?.tagPart)
        if let dialogID = pendingOffers.removeValue(forKey: inviteKey) {
            respond(inviteKey, statusCode: 487, toTag: dialogID.tagPart)
            logger.info("session cancelled before answer", metadata: ["dialog": "\(dialogID)"])
        }
    }

    /// Requests inside a dialog: re-INVITE and UPDATE modify the session, BYE ends it.
    func handleInDialog(_ request: SIPMessage, key: TransactionKey, entry: TransactionEntry) {
        let method = request.method ?? ""
        guard let dialogID = dialogID(of: request), var dialog = dialogs[dialogID] else {
            statistics.dialogMismatches += 1
            respond(key, statusCode: 481, toTag: nil)
            return
        }
        entry.dialogID = dialogID
        // (A session set up over TLS got here over TLS from its own SRC: `refusedOutsideItsTLS`.)
        if entry.flow.transport.isConnection, entry.flow.channel !== dialog.flow.channel {
            // The SRC reconnected (RFC 5923 reuse, or a new connection after a restart): answer it there.
            untrack(dialog)
            dialog.flow = entry.flow
            dialogs[dialogID] = dialog
            track(dialogID, on: entry.flow)
        }
        if let cseq = request.cseq?.number {
            if cseq <= dialog.remoteCSeq, method != "CANCEL" {
                respond(key, statusCode: 500, reason: "Server Internal Error - CSeq out of order", toTag: nil)
                return
            }
            dialog.remoteCSeq = cseq
            dialogs[dialogID] = dialog
        }
        switch method {
        case "INVITE", "UPDATE":
            handleModification(request, key: key, dialogID: dialogID)
        case "BYE":
            respond(key, statusCode: 200, toTag: nil)
            // A BYE before the ACK also ends the 2xx retransmission of the INVITE it answers.
            if let pending = dialogs[dialogID]?.pendingInvite, let entry = transactions[pending] {
                perform(entry.machine.ackReceived(), key: pending)
            }
            if let ended = dialogs.removeValue(forKey: dialogID) {
                ended.timerTask?.cancel()
                untrack(ended)
            }
            logger.info("session ended by BYE", metadata: ["dialog": "\(dialogID)"])
            delegate?.sessionEnded(dialogID: dialogID, cause: .bye, atNanos: entry.flow.readNanos)
        case "OPTIONS":
            respond(key, statusCode: 200, toTag: nil, extraHeaders: capabilityHeaders())
        default:
            rejectMethod(method, key: key, toTag: nil)
        }
    }
}

extension String {
    /// The tag half of a dialog id ("call-id;tag").
    var tagPart: String? {
        guard let semicolon = lastIndex(of: ";") else { return nil }
        return String(self[index(after: semicolon)...])
    }
}
