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
                if let dialogID = entry.dialogID, let dialog = sessions.dialogs[dialogID], !dialog.confirmed {
                    logger.warning("2xx to INVITE never acknowledged; ending the session", metadata: [
                        "dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)"])
                    sessions.terminate(dialogID: dialogID, cause: .missingAck)
                }
            }
        }
    }

    /// Routes an ACK: for an error response through the transaction, for a 2xx through the dialog.
    func handleAck(_ ack: SIPMessage, key: TransactionKey, flow: SIPFlow) {
        if let entry = transactions[key], entry.machine.kind == .invite, entry.machine.state == .completed {
            perform(entry.machine.ackReceived(), key: key)
            return
        }
        sessions.acknowledged(ack, flow: flow)
    }
}

extension Duration {
    /// Whole nanoseconds, for NIO's TimeAmount.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
