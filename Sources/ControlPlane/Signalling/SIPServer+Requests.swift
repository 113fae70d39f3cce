import NIOCore
import SIPCore

extension SIPServer {
    /// Dispatches a valid request: retransmissions to their transaction, ACK and CANCEL specially,
    /// in-dialog requests to their dialog, the rest by method.
    func handleRequest(_ request: SIPMessage, flow: SIPFlow) {
        guard let key = TransactionKey(request), let method = request.method else { return }
        if transactions[key] == nil, tlsPeers.refusesOutsideItsTLS(request, key: key, flow: flow) { return }
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
            sessions.cancel(request, key: key)
            return
        }
        if request.to?.tag != nil {
            sessions.inDialog(request, key: key, entry: entry)
            return
        }
        switch method {
        case "INVITE":
            sessions.offered(request, key: key, flow: flow)
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

    func answerHeaders(flow: SIPFlow, invite: SIPMessage) -> [SIPHeader] {
        let host = localHost(for: invite)
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let secure = invite.requestURI?.scheme.lowercased() == "sips"
        return [SIPHeader(name: "Contact", value: contact(host: bracketed, transport: flow.transport, secure: secure))]
            + capabilityHeaders()
    }

    /// siprecd's Contact on `transport`: the listening port of that transport, a `sips:` URI in a dialog
    /// whose Request-URI was one (RFC 3261 §12.1.1), else `transport=tcp|tls` for connections.
    func contact(host bracketed: String, transport: SIPFlow.Transport, secure: Bool) -> String {
        let port = settings.port(for: transport)
        if secure { return "<sips:siprecd@\(bracketed):\(port)>;+sip.srs" }
        return "<sip:siprecd@\(bracketed):\(port)\(transport.uriParameter)>;+sip.srs"
    }

    /// The address the SRC reached us on: the configured host unless it is a wildcard, else the
    /// Request-URI's host when it is an IP literal.
    public func localHost(for request: SIPMessage) -> String {
        let configured = settings.advertisedHost
        if configured != "0.0.0.0", configured != "::" { return configured }
        if let host = request.requestURI?.host, host.first?.isNumber == true || host.contains(":") { return host }
        return "127.0.0.1"
    }
}
