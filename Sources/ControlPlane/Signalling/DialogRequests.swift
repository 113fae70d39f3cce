import LibCrypto
import NIOCore
import NIOPosix
import SIPCore

/// Requests siprecd sends inside a dialog — BYE, OPTIONS probes, session refreshes (UPDATE, re-INVITE) —
/// as the UAC of their client transaction (RFC 3261 §17.1): retransmitted over UDP (Timer A/E) until a
/// response, given up after 64 × T1 (Timer B/F), the final status reported to whoever sent them. A dialog
/// whose SIP/TCP or SIP/TLS connection closed is reached again on the connection its SRC offered (RFC 5923
/// alias) or a new one to its Contact.
///
/// Confined to the SIP server's event loop; owned by the server (unowned back-reference).
final class DialogRequests: @unchecked Sendable {
    // @unchecked: every mutable property is touched only on the server's event loop.
    unowned let server: SIPServer
    /// Requests we sent (BYE, OPTIONS, UPDATE, re-INVITE) awaiting a final response, by Via branch:
    /// retransmitted over UDP until one arrives or 64 × T1 pass.
    var clientRequests: [String: ClientRequest] = [:]
    /// ACKs of 2xx responses to our re-INVITEs, by the INVITE's branch: re-sent if the 2xx is.
    var acknowledged: [String: (message: SIPMessage, flow: SIPFlow)] = [:]

    init(server: SIPServer) {
        self.server = server
    }

    final class ClientRequest {
        let message: SIPMessage
        let flow: SIPFlow
        var interval: Duration
        var task: Scheduled<Void>?
        var timeout: Scheduled<Void>?
        /// An INVITE got a provisional response: no more retransmissions, the final one is awaited.
        var provisional = false
        let completion: ((Int?) -> Void)?
        init(message: SIPMessage, flow: SIPFlow, interval: Duration, completion: ((Int?) -> Void)?) {
            self.message = message
            self.flow = flow
            self.interval = interval
            self.completion = completion
        }
    }

    /// The final status of a request siprecd sent, or nil when none came (timed out, connection lost).
    typealias ClientCompletion = (Int?) -> Void


    /// Builds the next request of `dialog` (its CSeq goes up) addressed to the SRC's Contact.
    func makeRequest(_ method: String, in dialog: inout Dialog, flow: SIPFlow, extraHeaders: [SIPHeader] = [],
                     body: [UInt8] = [], contentType: String? = nil) -> (message: SIPMessage, branch: String) {
        dialog.localCSeq += 1
        let host = server.settings.advertisedHost == "0.0.0.0" || server.settings.advertisedHost == "::" ? "127.0.0.1" : server.settings.advertisedHost
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let branch = "z9hG4bK\(generateSIPToken(length: 16))"
        var headers = [
            SIPHeader(name: "Via", value: "SIP/2.0/\(flow.transport.rawValue) \(bracketed):\(server.settings.port(for: flow.transport));branch=\(branch);rport"),
            SIPHeader(name: "Max-Forwards", value: "70"),
            SIPHeader(name: "From", value: dialog.localAddress),
            SIPHeader(name: "To", value: dialog.remoteAddress),
            SIPHeader(name: "Call-ID", value: dialog.callID),
            SIPHeader(name: "CSeq", value: "\(dialog.localCSeq) \(method)"),
            SIPHeader(name: "User-Agent", value: server.settings.userAgent),
        ]
        if method != "BYE" {
            headers.append(SIPHeader(name: "Contact", value: server.contact(host: bracketed, transport: flow.transport, secure: dialog.secure)))
        }
        for route in dialog.routeSet { headers.append(SIPHeader(name: "Route", value: route)) }
        headers += extraHeaders
        if let contentType { headers.append(SIPHeader(name: "Content-Type", value: contentType)) }
        headers.append(SIPHeader(name: "Content-Length", value: String(body.count)))
        let message = SIPMessage(startLine: .request(method: method, uri: dialog.remoteTarget), headers: headers, body: body)
        return (message, branch)
    }

    /// Sends `message` (built by ``makeRequest``) and follows its client transaction; `completion` gets
    /// the final status, or nil after Timer B/F or when the message cannot be written.
    func startClientTransaction(_ message: SIPMessage, branch: String, flow: SIPFlow, completion: ClientCompletion?) {
        let request = ClientRequest(message: message, flow: flow, interval: server.settings.timers.t1, completion: completion)
        clientRequests[branch] = request
        server.send(message, over: flow) { [self] written in
            if !written { finishClientRequest(branch, status: nil) }
        }
        request.timeout = server.eventLoop.scheduleTask(in: .nanoseconds(server.settings.timers.transactionTimeout.nanoseconds)) { [self, server] in
            guard clientRequests[branch] != nil else { return }
            server.logger.notice("no response to our \(message.method ?? "request"); giving up after 64×T1")
            finishClientRequest(branch, status: nil)
        }
        if flow.transport == .udp { retransmit(branch: branch, request) }
    }

    /// Timer A/E: resend at T1, 2·T1, … (non-INVITE: up to T2) until a response.
    func retransmit(branch: String, _ request: ClientRequest) {
        request.task = server.eventLoop.scheduleTask(in: .nanoseconds(request.interval.nanoseconds)) { [self, server] in
            guard let request = clientRequests[branch], !request.provisional else { return }
            server.send(request.message, over: request.flow)
            request.interval = request.message.method == "INVITE" ? request.interval * 2 : min(request.interval * 2, server.settings.timers.t2)
            retransmit(branch: branch, request)
        }
    }

    /// A response to a request of ours (matched by the top Via's branch).
    func receiveClientResponse(_ response: SIPMessage, branch: String) {
        guard let request = clientRequests[branch], let status = response.statusCode else {
            if let ack = acknowledged[branch], response.statusCode.map({ (200..<300).contains($0) }) == true {
                server.send(ack.message, over: ack.flow)   // a retransmitted 2xx to our re-INVITE: ACK again
            } else {
                server.statistics.responsesIgnored += 1
            }
            return
        }
        guard status >= 200 else {
            // INVITE: a provisional response ends retransmission (Timer A), the final one is awaited.
            if request.message.method == "INVITE" { request.provisional = true; request.task?.cancel() }
            return
        }
        if request.message.method == "INVITE" { acknowledge(response, to: request, branch: branch) }
        finishClientRequest(branch, status: status)
    }

    /// The ACK to a final response to our INVITE: for a 2xx a new transaction (kept 64 × T1 for the
    /// 2xx's retransmissions), for an error the same branch (RFC 3261 §17.1.1.3).
    private func acknowledge(_ response: SIPMessage, to request: ClientRequest, branch: String) {
        let success = (200..<300).contains(response.statusCode ?? 0)
        let ackBranch = success ? "z9hG4bK\(generateSIPToken(length: 16))" : branch
        var headers: [SIPHeader] = []
        for header in request.message.headers {
            switch header.name.lowercased() {
            case "via": headers.append(SIPHeader(name: "Via", value: header.value.replacingBranch(branch, with: ackBranch)))
            case "to": headers.append(SIPHeader(name: "To", value: response.header("To") ?? header.value))
            case "cseq": headers.append(SIPHeader(name: "CSeq", value: "\(request.message.cseq?.number ?? 0) ACK"))
            case "content-type", "content-length", "server.contact": continue
            default: headers.append(header)
            }
        }
        headers.append(SIPHeader(name: "Content-Length", value: "0"))
        let ack = SIPMessage(startLine: .request(method: "ACK", uri: request.message.requestURI?.description ?? ""), headers: headers)
        server.send(ack, over: request.flow)
        guard success else { return }
        acknowledged[branch] = (ack, request.flow)
        server.eventLoop.scheduleTask(in: .nanoseconds(server.settings.timers.transactionTimeout.nanoseconds)) { [self] in acknowledged[branch] = nil }
    }

    func finishClientRequest(_ branch: String, status: Int?) {
        guard let request = clientRequests.removeValue(forKey: branch) else { return }
        request.task?.cancel()
        request.timeout?.cancel()
        request.completion?(status)
    }

    /// Calls `body` with a flow that reaches the dialog's SRC: its own, or — a SIP/TCP or SIP/TLS connection
    /// that closed — a new connection to its Contact over the same transport (which becomes the dialog's);
    /// nil when none can be made.
    func withFlow(toDialog dialogID: String, _ body: @escaping (SIPFlow?) -> Void) {
        guard let dialog = server.sessions.dialogs[dialogID] else { body(nil); return }
        guard dialog.flow.transport.isConnection, !dialog.flow.channel.isActive else { body(dialog.flow); return }
        guard let target = SIPNameAddr(parsing: dialog.remoteTarget)?.uri ?? SIPURI(parsing: dialog.remoteTarget) else {
            body(nil)
            return
        }
        let transport = dialog.flow.transport
        let host = target.host.hasPrefix("[") ? String(target.host.dropFirst().dropLast()) : target.host
        let port = target.port ?? (transport == .tls ? 5_061 : 5_060)
        if let aliased = server.aliases.flow(transport, host: host, port: port),
           !dialog.overTLS || server.tlsPeers.identity(of: aliased.channel) == dialog.peerIdentity {
            // RFC 5923: the SRC offered this connection for requests to its address.
            server.sessions.move(dialogID, to: aliased)
            server.logger.info("reaching the SRC on the connection it offered (alias)", metadata: [
                "dialog": "\(dialogID)", "remote": "\(aliased.remoteDescription)"])
            body(aliased)
            return
        }
        let connected: EventLoopFuture<Channel>
        if transport == .tls {
            guard let tls = server.tls else { body(nil); return }
            let context = tls.client, identity = dialog.peerIdentity
            // The SRC's certificate (chained to clientCA, carrying one of allowedPeerNames if set) must also
            // name the Contact's host, or be the certificate that set the session up.
            let peerCheck: TLSHandler.PeerCheck = { session in
                session.peerCarries(host) || (!identity.isEmpty && session.peerIdentity == identity) ? nil
                    : TLSSession.Failure(reason: .peerNameNotAllowed,
                                         detail: "the SRC's certificate (\(session.peerSubject)) names neither \(host), its Contact, nor is the one that set up the session")
            }
            connected = ClientBootstrap(group: tls.eventLoop)
                .connectTimeout(.seconds(5))
                .channelInitializer { [server] channel in
                    channel.eventLoop.makeCompletedFuture {
                        let session = try TLSSession(context: context, host: host)
                        try channel.pipeline.syncOperations.addHandlers([
                            TLSHandler(session: session, server: server, peerCheck: peerCheck), SIPStreamHandler(server: server, transport: .tls),
                        ])
                    }
                }
                .connect(host: host, port: port)
        } else {
            connected = ClientBootstrap(group: server.eventLoop)
                .connectTimeout(.seconds(5))
                .channelInitializer { [server] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(SIPStreamHandler(server: server, transport: .tcp))
                    }
                }
                .connect(host: host, port: port)
        }
        connected.hop(to: server.eventLoop).assumeIsolated().whenComplete { [server] result in
            switch result {
            case .success(let channel):
                guard let remote = channel.remoteAddress, server.sessions.dialogs[dialogID] != nil else { channel.close(promise: nil); body(nil); return }
                let flow = SIPFlow(transport: transport, remote: remote, channel: channel)
                server.sessions.move(dialogID, to: flow)
                server.logger.info("connected to the SRC again over \(transport.rawValue)", metadata: [
                    "dialog": "\(dialogID)", "remote": "\(flow.remoteDescription)"])
                body(flow)
            case .failure(let error):
                server.logger.notice("cannot reach the SRC over \(transport.rawValue)", metadata: [
                    "dialog": "\(dialogID)", "target": "\(host):\(port)", "error": "\(error)"])
                body(nil)
            }
        }
    }

    /// Sends an in-dialog request to the dialog's SRC (reconnecting over TCP when needed).
    func sendInDialog(_ dialogID: String, method: String, extraHeaders: [SIPHeader] = [], body: [UInt8] = [],
                      contentType: String? = nil, completion: @escaping ClientCompletion) {
        withFlow(toDialog: dialogID) { [self] flow in
            guard let flow, var dialog = server.sessions.dialogs[dialogID] else { completion(nil); return }
            let (message, branch) = makeRequest(method, in: &dialog, flow: flow, extraHeaders: extraHeaders, body: body,
                                                contentType: contentType)
            server.sessions.dialogs[dialogID] = dialog
            startClientTransaction(message, branch: branch, flow: flow, completion: completion)
        }
    }

    /// Asks the dialog's SRC whether the dialog still exists (in-dialog OPTIONS). No answer, 408 or 481
    /// (RFC 4028 §10, RFC 5057) means it is gone: the session is ended (`srcGone`) with `why` logged.
    func probe(dialogID: String, because why: String) {
        guard server.sessions.dialogs[dialogID] != nil else { return }
        sendInDialog(dialogID, method: "OPTIONS", extraHeaders: [SIPHeader(name: "Accept", value: "application/sdp")]) { [server] status in
            guard let dialog = server.sessions.dialogs[dialogID] else { return }
            if let status, status != 408, status != 481 { return }
            server.logger.warning("the SRC is gone: ending the session", metadata: [
                "dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)", "why": "\(why)", "probe": "\(status.map { "OPTIONS answered \($0)" } ?? "OPTIONS got no answer")"])
            server.sessions.terminate(dialogID: dialogID, cause: .srcGone)
        }
    }

    // MARK: RFC 4028 session refresh, when siprecd is the refresher

    func sessionTimerFired(_ dialogID: String) {
        guard let dialog = server.sessions.dialogs[dialogID], let timer = dialog.timer else { return }
        switch timer.refresher {
        case .uac:
            server.logger.warning("session timer expired: the SRC did not refresh the session; ending it", metadata: [
                "dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)", "session_expires": "\(timer.interval)"])
            server.sessions.terminate(dialogID: dialogID, cause: .sessionExpired)
        case .uas:
            refreshSession(dialogID, withInvite: false)
        }
    }

    /// siprecd is the refresher: UPDATE without a body (RFC 4028 §7.4), or a re-INVITE with the current
    /// SDP when the SRC does not take UPDATE.
    private func refreshSession(_ dialogID: String, withInvite: Bool) {
        guard let dialog = server.sessions.dialogs[dialogID], let timer = dialog.timer else { return }
        let headers = [SIPHeader(name: "Session-Expires", value: "\(timer.interval);refresher=uas"),
                       SIPHeader(name: "Supported", value: "timer")]
        let body = withInvite ? dialog.answer?.serialized() ?? [] : []
        sendInDialog(dialogID, method: withInvite ? "INVITE" : "UPDATE", extraHeaders: headers, body: body,
                     contentType: withInvite ? "application/sdp" : nil) { [self, server] status in
            guard let dialog = server.sessions.dialogs[dialogID] else { return }
            switch status {
            case .some(200..<300):
                server.sessions.armSessionTimer(dialogID)
            case .some(405) where !withInvite, .some(501) where !withInvite:
                refreshSession(dialogID, withInvite: true)
            case .some(491):
                // Glare with a request of the SRC's (which refreshes too): try again shortly.
                server.eventLoop.scheduleTask(in: .seconds(2)) { [self] in
                    if server.sessions.dialogs[dialogID]?.timer != nil { refreshSession(dialogID, withInvite: withInvite) }
                }
            case nil, .some(408), .some(481):
                server.logger.warning("session refresh got no answer or the dialog is gone at the SRC; ending the session", metadata: [
                    "dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)", "status": "\(status.map(String.init) ?? "none")"])
                server.sessions.terminate(dialogID: dialogID, cause: .srcGone)
            case .some(let code):
                server.logger.warning("session refresh refused by the SRC; ending the session as expired", metadata: [
                    "dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)", "status": "\(code)"])
                server.sessions.terminate(dialogID: dialogID, cause: .sessionExpired)
            }
        }
    }
}

extension String {
    /// A Via value with its branch parameter replaced.
    func replacingBranch(_ old: String, with new: String) -> String {
        var parts = split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        for index in parts.indices where parts[index].trimmingPrefix(" ").lowercased() == "branch=\(old.lowercased())" {
            parts[index] = "branch=\(new)"
        }
        return parts.joined(separator: ";")
    }

    private func trimmingPrefix(_ character: Character) -> String {
        String(drop { $0 == character })
    }
}
