import NIOCore
import SIPCore

/// Sessions whose SRC may have vanished: RFC 4028 session timers, and SIP/TCP connections that close.
extension SIPServer {
    /// (Re)arms the dialog's session timer from now (its last refresh).
    func armSessionTimer(_ dialogID: String) {
        guard var dialog = dialogs[dialogID] else { return }
        dialog.timerTask?.cancel()
        dialog.timerTask = nil
        if let timer = dialog.timer {
            dialog.timerTask = eventLoop.scheduleTask(in: .seconds(Int64(timer.actionDelay))) { [self] in
                sessionTimerFired(dialogID)
            }
        }
        dialogs[dialogID] = dialog
    }

    private func sessionTimerFired(_ dialogID: String) {
        guard let dialog = dialogs[dialogID], let timer = dialog.timer else { return }
        switch timer.refresher {
        case .uac:
            logger.warning("session timer expired: the SRC did not refresh the session; ending it", metadata: [
                "dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)", "session_expires": "\(timer.interval)"])
            terminate(dialogID: dialogID, cause: .sessionExpired)
        case .uas:
            refreshSession(dialogID, withInvite: false)
        }
    }

    /// siprecd is the refresher: UPDATE without a body (RFC 4028 §7.4), or a re-INVITE with the current
    /// SDP when the SRC does not take UPDATE.
    private func refreshSession(_ dialogID: String, withInvite: Bool) {
        guard let dialog = dialogs[dialogID], let timer = dialog.timer else { return }
        let headers = [SIPHeader(name: "Session-Expires", value: "\(timer.interval);refresher=uas"),
                       SIPHeader(name: "Supported", value: "timer")]
        let body = withInvite ? dialog.answer?.serialized() ?? [] : []
        sendInDialog(dialogID, method: withInvite ? "INVITE" : "UPDATE", extraHeaders: headers, body: body,
                     contentType: withInvite ? "application/sdp" : nil) { [self] status in
            guard let dialog = dialogs[dialogID] else { return }
            switch status {
            case .some(200..<300):
                armSessionTimer(dialogID)
            case .some(405), .some(501) where !withInvite:
                refreshSession(dialogID, withInvite: true)
            case .some(491):
                // Glare with a request of the SRC's (which refreshes too): try again shortly.
                eventLoop.scheduleTask(in: .seconds(2)) { [self] in
                    if dialogs[dialogID]?.timer != nil { refreshSession(dialogID, withInvite: withInvite) }
                }
            case nil, .some(408), .some(481):
                logger.warning("session refresh got no answer or the dialog is gone at the SRC; ending the session", metadata: [
                    "dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)", "status": "\(status.map(String.init) ?? "none")"])
                terminate(dialogID: dialogID, cause: .srcGone)
            case .some(let code):
                logger.warning("session refresh refused by the SRC; ending the session as expired", metadata: [
                    "dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)", "status": "\(code)"])
                terminate(dialogID: dialogID, cause: .sessionExpired)
            }
        }
    }

    /// Remembers that a dialog's requests arrive on a SIP/TCP or SIP/TLS connection, so its closing is noticed.
    func track(_ dialogID: String, on flow: SIPFlow) {
        guard flow.transport.isConnection else { return }
        tcpDialogs[ObjectIdentifier(flow.channel), default: []].insert(dialogID)
    }

    /// A dialog ended: it no longer needs its connection watched.
    func untrack(_ dialog: Dialog) {
        guard dialog.flow.transport.isConnection else { return }
        let id = ObjectIdentifier(dialog.flow.channel)
        tcpDialogs[id]?.remove(dialog.id)
        if tcpDialogs[id]?.isEmpty == true { tcpDialogs[id] = nil }
    }

    /// A SIP/TCP connection closed. Its dialogs wait `reconnectGrace` for the SRC to come back (any
    /// in-dialog request on a new connection); then the SRC is probed, over a new connection to its
    /// Contact, and the session ends if it does not answer.
    func connectionClosed(_ channel: Channel) {
        forgetAliases(of: channel)
        let id = ObjectIdentifier(channel)
        tlsPeers[id] = nil
        guard let ids = tcpDialogs.removeValue(forKey: id) else { return }
        for dialogID in ids {
            guard let dialog = dialogs[dialogID], ObjectIdentifier(dialog.flow.channel) == id else { continue }
            logger.notice("the SIP/\(dialog.flow.transport.rawValue) connection of a session closed; waiting for the SRC to reconnect", metadata: [
                "dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)", "grace_seconds": "\(settings.reconnectGrace.components.seconds)"])
            eventLoop.scheduleTask(in: .nanoseconds(settings.reconnectGrace.nanoseconds)) { [self] in
                guard let dialog = dialogs[dialogID], ObjectIdentifier(dialog.flow.channel) == id else { return }
                probe(dialogID: dialogID, because: "its SIP/\(dialog.flow.transport.rawValue) connection closed and was not re-established within reconnectGrace")
            }
        }
    }
}
