import NIOCore
import SIPCore

/// Messages refused before any transaction: sources outside `[sip] allow`, messages that do not parse, and
/// requests that lack what a response needs.
extension SIPServer {
    /// Refuses a message from a source outside `[sip] allow`: 403 to a request (without creating a
    /// transaction), nothing to an ACK or a response; counted per source.
    func refuseSource(_ message: SIPMessage, flow: SIPFlow) {
        statistics.refusedFromDisallowedSources += 1
        let source = flow.remote.ipAddress ?? "?"
        if statistics.refusedBySource[source] != nil || statistics.refusedBySource.count < SIPStatistics.refusedSourcesKept {
            statistics.refusedBySource[source, default: 0] += 1
        }
        guard message.isRequest, message.method != "ACK", !message.via.isEmpty, message.callID != nil, message.cseq != nil else {
            notices.log(.notice, "SIP message from a source outside [sip] allow dropped", source: source,
                        metadata: ["source": "\(flow.remoteDescription)", "method": "\(message.method ?? "response")"])
            return
        }
        if message.method == "INVITE", message.to?.tag == nil {
            notices.log(.warning, "session refused", source: source, metadata: [
                "call_id": "\(message.callID ?? "")", "source": "\(flow.remoteDescription)", "status": "403",
                "reason": "source not allowed"])
        } else {
            notices.log(.notice, "SIP request from a source outside [sip] allow refused", source: source, metadata: [
                "call_id": "\(message.callID ?? "")", "source": "\(flow.remoteDescription)", "method": "\(message.method ?? "")",
                "status": "403"])
        }
        let response = SIPResponseBuilder.response(
            to: message, statusCode: 403, reason: "Forbidden - source not allowed",
            toTag: message.to?.tag == nil ? generateSIPToken(length: 10) : nil,
            extraHeaders: commonHeaders() + [SIPHeader(name: "Warning", value: "399 siprecd \"source not allowed\"")])
        send(response, over: flow)
    }

    /// Answers 400 when enough of a broken message survives to address a response; drops it otherwise.
    func rejectMalformed(bytes: [UInt8], error: SIPParseError, flow: SIPFlow) {
        statistics.malformed += 1
        guard settings.isAllowed(flow.remote.ipAddress ?? "") else {
            statistics.refusedFromDisallowedSources += 1
            return
        }
        notices.log(.notice, "malformed SIP message dropped or rejected", source: flow.remote.ipAddress ?? "?", metadata: [
            "source": "\(flow.remoteDescription)", "error": "\(error.message)"])
        guard let salvaged = MalformedMessageSalvage.headers(from: bytes) else { return }
        rejectInvalid(salvaged, reason: error.message, flow: flow)
    }

    func rejectInvalid(_ message: SIPMessage, reason: String, flow: SIPFlow) {
        guard message.method != "ACK", !message.via.isEmpty, message.callID != nil, message.cseq != nil,
              message.header("From") != nil, message.header("To") != nil
        else { return }
        statistics.badRequests += 1
        let warning = SIPHeader(name: "Warning", value: "399 siprecd \"\(SIPServer.warningText(reason))\"")
        let response = SIPResponseBuilder.response(to: message, statusCode: 400, reason: "Bad Request - \(reason)",
                                                   toTag: generateSIPToken(length: 10),
                                                   extraHeaders: commonHeaders() + (message.method == "INVITE" ? [warning] : []))
        send(response, over: flow)
    }
}
