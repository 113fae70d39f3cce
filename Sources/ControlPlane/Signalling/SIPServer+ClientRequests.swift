import LibCrypto
import NIOCore
import NIOPosix
import SIPCore

/// Requests siprecd sends inside a dialog — BYE, OPTIONS probes, session refreshes (UPDATE, re-INVITE) —
/// as the UAC of their client transaction (RFC 3261 §17.1): retransmitted over UDP (Timer A/E) until a
/// response, given up after 64 × T1 (Timer B/F), the final status reported to whoever sent them.
extension SIPServer {
    /// The final status of a request siprecd sent, or nil when none came (timed out, connection lost).
    typealias ClientCompletion = (Int?) -> Void

    /// Builds the next request of `dialog` (its CSeq goes up) addressed to the SRC's Contact.
    func makeRequest(_ method: String, in dialog: inout Dialog, flow: SIPFlow, extraHeaders: [SIPHeader] = [],
                     body: [UInt8] = [], contentType: String? = nil) -> (message: SIPMessage, branch: String) {
        dialog.localCSeq += 1
        let host = settings.advertisedHost == "0.0.0.0" || settings.advertisedHost == "::" ? "127.0.0.1" : settings.advertisedHost
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let branch = "z9hG4bK\(generateSIPToken(length: 16))"
        var headers = [
            SIPHeader(name: "Via", value: "SIP/2.0/\(flow.transport.rawValue) \(bracketed):\(settings.port(for: flow.transport));branch=\(branch);rport"),
            SIPHeader(name: "Max-Forwards", value: "70"),
            SIPHeader(name: "From", value: dialog.localAddress),
            SIPHeader(name: "To", value: dialog.remoteAddress),
            SIPHeader(name: "Call-ID", value: dialog.callID),
            SIPHeader(name: "CSeq", value: "\(dialog.localCSeq) \(method)"),
            SIPHeader(name: "User-Agent", value: settings.userAgent),
        ]
        if method != "BYE" {
            headers.append(SIPHeader(name: "Contact", value: contact(host: bracketed, transport: flow.transport, secure: dialog.secure)))
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
        let request = ClientRequest(message: message, flow: flow, interval: settings.timers.t1, completion: completion)
        clientRequests[branch] = request
        send(message, over: flow) { [self] written in
            if !written { finishClientRequest(branch, status: nil) }
        }
        request.timeout = eventLoop.scheduleTask(in: .nanoseconds(settings.timers.transactionTimeout.nanoseconds)) { [self] in
            guard clientRequests[branch] != nil else { return }
            logger.notice("no response to our \(message.method ?? "request"); giving up after 64×T1")
            finishClientRequest(branch, status: nil)
        }
        if flow.transport == .udp { retransmit(branch: branch, request) }
    }

    /// Timer A/E: resend at T1, 2·T1, … (non-INVITE: up to T2) until a response.
    func retransmit(branch: String, _ request: ClientRequest) {
        request.task = eventLoop.scheduleTask(in: .nanoseconds(request.interval.nanoseconds)) { [self] in
            guard let request = clientRequests[branch], !request.provisional else { return }
            send(request.message, over: request.flow)
            request.interval = request.message.method == "INVITE" ? request.interval * 2 : min(request.interval * 2, settings.timers.t2)
            retransmit(branch: branch, request)
        }
    }

    /// A response to a request of ours (matched by the top Via's branch).
    func receiveClientResponse(_ response: SIPMessage, branch: String) {
        guard let request = clientRequests[branch], let status = response.statusCode else {
            if let ack = acknowledged[branch], response.statusCode.map({ (200..<300).contains($0) }) == true {
                send(ack.message, over: ack.flow)   // a retransmitted 2xx to our re-INVITE: ACK again
            } else {
                statistics.responsesIgnored += 1
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
            case "content-type", "content-length", "contact": continue
            default: headers.append(header)
            }
        }
        headers.append(SIPHeader(name: "Content-Length", value: "0"))
        let ack = SIPMessage(startLine: .request(method: "ACK", uri: request.message.requestURI?.description ?? ""), headers: headers)
        send(ack, over: request.flow)
        guard success else { return }
        acknowledged[branch] = (ack, request.flow)
        eventLoop.scheduleTask(in: .nanoseconds(settings.timers.transactionTimeout.nanoseconds)) { [self] in acknowledged[branch] = nil }
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
        guard let dialog = dialogs[dialogID] else { body(nil); return }
        guard dialog.flow.transport.isConnection, !dialog.flow.channel.isActive else { body(dialog.flow); return }
        guard let target = SIPNameAddr(parsing: dialog.remoteTarget)?.uri ?? SIPURI(parsing: dialog.remoteTarget) else {
            body(nil)
            return
        }
        let transport = dialog.flow.transport
        let host = target.host.hasPrefix("[") ? String(target.host.dropFirst().dropLast()) : target.host
        let port = target.port ?? (transport == .tls ? 5_061 : 5_060)
        if let aliased = aliasedFlow(transport, host: host, port: port),
           !dialog.overTLS || tlsPeers[ObjectIdentifier(aliased.channel)] == dialog.peerIdentity {
            // RFC 5923: the SRC offered this connection for requests to its address.
            var moved = dialog
            untrack(moved)
            moved.flow = aliased
            dialogs[dialogID] = moved
            track(dialogID, on: aliased)
            logger.info("reaching the SRC on the connection it offered (alias)", metadata: [
                "dialog": "\(dialogID)", "remote": "\(aliased.remoteDescription)"])
            body(aliased)
            return
        }
        let connected: EventLoopFuture<Channel>
        if transport == .tls {
            guard let tls else { body(nil); return }
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
                .channelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        let session = try TLSSession(context: context, host: host)
                        try channel.pipeline.syncOperations.addHandlers([
                            TLSHandler(session: session, server: self, peerCheck: peerCheck), SIPStreamHandler(server: self, transport: .tls),
                        ])
                    }
                }
                .connect(host: host, port: port)
        } else {
            connected = ClientBootstrap(group: eventLoop)
                .connectTimeout(.seconds(5))
                .channelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(SIPStreamHandler(server: self, transport: .tcp))
                    }
                }
                .connect(host: host, port: port)
        }
        connected.hop(to: eventLoop).assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let channel):
                guard let remote = channel.remoteAddress, var dialog = dialogs[dialogID] else { channel.close(promise: nil); body(nil); return }
                untrack(dialog)
                dialog.flow = SIPFlow(transport: transport, remote: remote, channel: channel)
                dialogs[dialogID] = dialog
                track(dialogID, on: dialog.flow)
                logger.info("connected to the SRC again over \(transport.rawValue)", metadata: [
                    "dialog": "\(dialogID)", "remote": "\(dialog.flow.remoteDescription)"])
                body(dialog.flow)
            case .failure(let error):
                logger.notice("cannot reach the SRC over \(transport.rawValue)", metadata: [
                    "dialog": "\(dialogID)", "target": "\(host):\(port)", "error": "\(error)"])
                body(nil)
            }
        }
    }

    /// Sends an in-dialog request to the dialog's SRC (reconnecting over TCP when needed).
    func sendInDialog(_ dialogID: String, method: String, extraHeaders: [SIPHeader] = [], body: [UInt8] = [],
                      contentType: String? = nil, completion: @escaping ClientCompletion) {
        withFlow(toDialog: dialogID) { [self] flow in
            guard let flow, var dialog = dialogs[dialogID] else { completion(nil); return }
            let (message, branch) = makeRequest(method, in: &dialog, flow: flow, extraHeaders: extraHeaders, body: body,
                                                contentType: contentType)
            dialogs[dialogID] = dialog
            startClientTransaction(message, branch: branch, flow: flow, completion: completion)
        }
    }

    /// Asks the dialog's SRC whether the dialog still exists (in-dialog OPTIONS). No answer, 408 or 481
    /// (RFC 4028 §10, RFC 5057) means it is gone: the session is ended (`srcGone`) with `why` logged.
    public func probe(dialogID: String, because why: String) {
        guard dialogs[dialogID] != nil else { return }
        sendInDialog(dialogID, method: "OPTIONS", extraHeaders: [SIPHeader(name: "Accept", value: "application/sdp")]) { [self] status in
            guard let dialog = dialogs[dialogID] else { return }
            if let status, status != 408, status != 481 { return }
            logger.warning("the SRC is gone: ending the session", metadata: [
                "dialog": "\(dialogID)", "call_id": "\(dialog.callID)", "domain": "\(dialog.domain)", "why": "\(why)", "probe": "\(status.map { "OPTIONS answered \($0)" } ?? "OPTIONS got no answer")"])
            terminate(dialogID: dialogID, cause: .srcGone)
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
