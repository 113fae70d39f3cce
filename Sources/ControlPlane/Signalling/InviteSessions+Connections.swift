import NIOCore
import SIPCore

/// Sessions whose SRC may have vanished: RFC 4028 session timers, and SIP/TCP or SIP/TLS connections that close.
extension InviteSessions {
    /// (Re)arms the dialog's session timer from now (its last refresh).
    func armSessionTimer(_ dialogID: String) {
        guard var dialog = dialogs[dialogID] else { return }
        dialog.timerTask?.cancel()
        dialog.timerTask = nil
        if let timer = dialog.timer {
            dialog.timerTask = server.eventLoop.scheduleTask(in: .seconds(Int64(timer.actionDelay))) { [self] in
                server.requests.sessionTimerFired(dialogID)
            }
        }
        dialogs[dialogID] = dialog
    }

    /// Remembers that a dialog's requests arrive on a SIP/TCP or SIP/TLS connection, so its closing is noticed.
    func track(_ dialogID: String, on flow: SIPFlow) {
        guard flow.transport.isConnection else { return }
        byConnection[ObjectIdentifier(flow.channel), default: []].insert(dialogID)
    }

    /// A dialog ended: it no longer needs its connection watched.
    func untrack(_ dialog: Dialog) {
        guard dialog.flow.transport.isConnection else { return }
        let id = ObjectIdentifier(dialog.flow.channel)
        byConnection[id]?.remove(dialog.id)
        if byConnection[id]?.isEmpty == true { byConnection[id] = nil }
    }

    /// Moves a dialog onto another connection (its SRC reconnected, or siprecd reached it on a new one).
    func move(_ dialogID: String, to flow: SIPFlow) {
        guard var dialog = dialogs[dialogID] else { return }
        untrack(dialog)
        dialog.flow = flow
        dialogs[dialogID] = dialog
        track(dialogID, on: flow)
    }

    /// A SIP/TCP connection closed. Its dialogs wait `reconnectGrace` for the SRC to come back (any
    /// in-dialog request on a new connection); then the SRC is probed, over a new connection to its
    /// Contact, and the session ends if it does not answer.
    func connectionClosed(_ channel: Channel) {
        let id = ObjectIdentifier(channel)
        guard let ids = byConnection.removeValue(forKey: id) else { return }
        let grace = server.settings.reconnectGrace
        for dialogID in ids {
            guard let dialog = dialogs[dialogID], ObjectIdentifier(dialog.flow.channel) == id else { continue }
            server.logger.notice("the SIP/\(dialog.flow.transport.rawValue) connection of a session closed; waiting for the SRC to reconnect", metadata: [
                "dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)", "grace_seconds": "\(grace.components.seconds)"])
            server.eventLoop.scheduleTask(in: .nanoseconds(grace.nanoseconds)) { [self] in
                guard let dialog = dialogs[dialogID], ObjectIdentifier(dialog.flow.channel) == id else { return }
                server.requests.probe(dialogID: dialogID, because: "its SIP/\(dialog.flow.transport.rawValue) connection closed and was not re-established within reconnectGrace")
            }
        }
    }
}
