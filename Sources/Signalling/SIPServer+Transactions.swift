import NIOCore
import SIPCore

extension SIPServer {
    /// Creates the server transaction for a new request.
    func openTransaction(_ key: TransactionKey, request: SIPMessage, flow: SIPFlow) -> TransactionEntry {
        let kind: ServerTransaction.Kind = request.method == "INVITE" ? .invite : .nonInvite
        let machine = ServerTransaction(kind: kind, reliable: flow.transport == .tcp, timers: settings.timers)
        let entry = TransactionEntry(machine: machine, request: request, flow: flow)
        transactions[key] = entry
        return entry
    }

    /// Sends a response through the request's transaction.
    func respond(_ key: TransactionKey, statusCode: Int, reason: String? = nil, toTag: String?,
                 extraHeaders: [SIPHeader] = [], body: [UInt8] = [], contentType: String? = nil) {
        guard let entry = transactions[key] else { return }
        let response = SIPResponseBuilder.response(
            to: entry.request, statusCode: statusCode, reason: reason, toTag: statusCode == 100 ? nil : toTag,
            extraHeaders: commonHeaders() + extraHeaders, body: body, contentType: contentType)
        perform(entry.machine.respond(response), key: key)
    }

    /// Carries out what a transaction state machine asked for.
    func perform(_ actions: [ServerTransaction.Action], key: TransactionKey) {
        guard let entry = transactions[key] else { return }
        for action in actions {
            switch action {
            case .send(let message):
                send(message, over: entry.flow)
            case .armRetransmit(let delay):
                entry.retransmitTask?.cancel()
                entry.retransmitTask = eventLoop.scheduleTask(in: .nanoseconds(delay.nanoseconds)) { [self] in
                    guard let entry = transactions[key] else { return }
                    perform(entry.machine.retransmitTimerFired(), key: key)
                }
            case .armTimeout(let delay):
                entry.timeoutTask?.cancel()
                entry.timeoutTask = eventLoop.scheduleTask(in: .nanoseconds(delay.nanoseconds)) { [self] in
                    guard let entry = transactions[key] else { return }
                    perform(entry.machine.timeoutFired(), key: key)
                }
            case .terminate:
                entry.retransmitTask?.cancel()
                entry.timeoutTask?.cancel()
                transactions[key] = nil
            case .reportMissingAck:
                if let dialogID = entry.dialogID, dialogs[dialogID]?.confirmed == false {
                    logger.warning("2xx to INVITE never acknowledged; ending the session", metadata: ["dialog": "\(dialogID)"])
                    terminate(dialogID: dialogID, cause: .missingAck)
                }
            }
        }
    }

    /// Routes an ACK: for a 2xx through the dialog, for an error response through the transaction.
    func handleAck(_ ack: SIPMessage, key: TransactionKey, flow: SIPFlow) {
        if let entry = transactions[key], entry.machine.kind == .invite, entry.machine.state == .completed {
            perform(entry.machine.ackReceived(), key: key)
            return
        }
        guard let dialogID = dialogID(of: ack), var dialog = dialogs[dialogID] else { return }
        dialog.confirmed = true
        // An ACK for an earlier INVITE (a retransmission of a lost one) must not end a later re-INVITE's 2xx.
        guard dialog.pendingInvite != nil, ack.cseq?.number == dialog.pendingInviteCSeq else {
            dialogs[dialogID] = dialog
            return
        }
        let pending = dialog.pendingInvite
        let answerInAck = dialog.answerExpectedInAck
        dialog.pendingInvite = nil
        dialog.answerExpectedInAck = false
        dialogs[dialogID] = dialog
        if let pending, let entry = transactions[pending] {
            perform(entry.machine.ackReceived(), key: pending)
        }
        // Delayed offer (RFC 3264 §8): the SRC's answer to the SDP we offered is in the ACK — apply it
        // like an update (e.g. a hold that makes every stream inactive).
        if answerInAck, let body = try? SessionBody.parse(ack), let sdp = body.sdp {
            _ = delegate?.sessionUpdated(SessionUpdate(dialogID: dialogID, sdp: sdp, metadata: body.metadata,
                                                       metadataError: body.metadataError,
                                                       receivedNanos: flow.readNanos))
        }
    }

    /// The id of the dialog an in-dialog request belongs to (Call-ID and our tag, found in To).
    func dialogID(of request: SIPMessage) -> String? {
        guard let callID = request.callID, let tag = request.to?.tag else { return nil }
        return "\(callID);\(tag)"
    }
}

extension Duration {
    /// Whole nanoseconds, for NIO's TimeAmount.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
