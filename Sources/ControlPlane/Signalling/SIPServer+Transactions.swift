import NIOCore
import SIPCore

extension SIPServer {
    /// Creates the server transaction for a new request.
    func openTransaction(_ key: TransactionKey, request: SIPMessage, flow: SIPFlow) -> TransactionEntry {
        let kind: ServerTransaction.Kind = request.method == "INVITE" ? .invite : .nonInvite
        let machine = ServerTransaction(kind: kind, reliable: flow.transport.isConnection, timers: settings.timers)
        let entry = TransactionEntry(machine: machine, request: request, flow: flow)
        transactions[key] = entry
        return entry
    }

    /// Sends a response through the request's transaction. An INVITE refused with 4xx–6xx carries a
    /// `Warning:` with the reason (RFC 3261 §20.43), and a refused new session is logged at warning level.
    func respond(_ key: TransactionKey, statusCode: Int, reason: String? = nil, toTag: String?,
                 extraHeaders: [SIPHeader] = [], body: [UInt8] = [], contentType: String? = nil, warningCode: Int = 399) {
        guard let entry = transactions[key] else { return }
        var extra = extraHeaders
        if statusCode >= 400, entry.request.method == "INVITE" {
            let phrase = reason ?? SIPResponseBuilder.reasonPhrase(statusCode)
            let text = SIPServer.warningText(phrase)
            if !extra.contains(where: { $0.name.lowercased() == "warning" }) {
                extra.append(SIPHeader(name: "Warning", value: "\(warningCode) siprecd \"\(text)\""))
            }
            if entry.request.to?.tag == nil, entry.machine.state == .proceeding {
                logger.warning("session refused", metadata: [
                    "call_id": "\(entry.request.callID ?? "")", "domain": "\(entry.request.requestURI?.host.lowercased() ?? "")",
                    "source": "\(entry.flow.remoteDescription)",
                    "status": "\(statusCode)", "reason": "\(text)"])
            }
        }
        let response = SIPResponseBuilder.response(
            to: entry.request, statusCode: statusCode, reason: reason, toTag: statusCode == 100 ? nil : toTag,
            extraHeaders: commonHeaders() + extra, body: body, contentType: contentType)
        perform(entry.machine.respond(response), key: key)
    }

    /// The part of a reason phrase after " - " (siprecd's explanation), made safe for a quoted string.
    static func warningText(_ phrase: String) -> String {
        var text = Substring(phrase)
        let characters = Array(phrase)
        for index in characters.indices.dropLast(2) where characters[index] == " " && characters[index + 1] == "-" && characters[index + 2] == " " {
            text = Substring(String(characters[(index + 3)...]))
            break
        }
        return String(text.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "\"": return "'"
            case "\\": return "/"
            default: return scalar.value < 0x20 || scalar.value == 0x7F ? " " : Character(scalar)
            }
        }.prefix(400))
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
                if let dialogID = entry.dialogID, let dialog = dialogs[dialogID], !dialog.confirmed {
                    logger.warning("2xx to INVITE never acknowledged; ending the session", metadata: [
                        "dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)"])
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
        let answerInAck = dialog.answerExpectedInAck, initial = dialog.initialAnswerExpected
        dialog.pendingInvite = nil
        dialog.answerExpectedInAck = false
        dialog.initialAnswerExpected = false
        dialogs[dialogID] = dialog
        if let pending, let entry = transactions[pending] {
            perform(entry.machine.ackReceived(), key: pending)
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
            _ = delegate?.sessionUpdated(SessionUpdate(dialogID: dialogID, sdp: sdp, metadata: body.metadata,
                                                       metadataError: body.metadataError, metadataRepairs: body.metadataRepairs,
                                                       receivedNanos: flow.readNanos))
        } else if initial {
            logger.warning("delayed offer not answered: the SRC's ACK carried no SDP answer to siprecd's offer; ending the session",
                           metadata: ["dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)", "reason": "\(problem)"])
            terminate(dialogID: dialogID, cause: .noAnswerInAck)
        } else {
            logger.warning("the ACK to a re-INVITE without SDP carried no answer to siprecd's offer; the session keeps its previous SDP",
                           metadata: ["dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)", "reason": "\(problem)"])
        }
    }

    /// The id of the dialog an in-dialog request belongs to (Call-ID and our tag, found in To), when its
    /// From tag is the SRC's tag of that dialog too (RFC 3261 §12.2.2: a dialog is Call-ID and both tags).
    func dialogID(of request: SIPMessage) -> String? {
        guard let callID = request.callID, let tag = request.to?.tag else { return nil }
        let id = "\(callID);\(tag)"
        if let dialog = dialogs[id], let remoteTag = dialog.remoteTag, request.from?.tag != remoteTag {
            notices.log(.notice, "in-dialog request whose From tag is not the dialog's: refused",
                        source: dialog.flow.remote.ipAddress ?? "?", metadata: [
                            "call_id": "\(callID)", "source": "\(dialog.flow.remoteDescription)"])
            return nil
        }
        return id
    }
}

extension Duration {
    /// Whole nanoseconds, for NIO's TimeAmount.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
