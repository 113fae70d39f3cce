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
                requests.sessionTimerFired(dialogID)
            }
        }
        dialogs[dialogID] = dialog
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
        aliases.forget(channel)
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
