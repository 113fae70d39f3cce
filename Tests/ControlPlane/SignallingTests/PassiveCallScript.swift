import SIPCore
import Signalling
import TestSupport

/// The SIP a passive tracker sees between an SRC (10.0.0.1) and an SRS (10.0.0.2), or between a
/// caller (10.0.1.1) and a callee (10.0.1.2) for a plain call. Text is written with LF line ends and
/// converted to CRLF, with Content-Length computed on the converted body.
enum PassiveCallScript {
    static let src = "10.0.0.1:5060"
    static let srs = "10.0.0.2:5060"
    static let caller = "10.0.1.1:5060"
    static let callee = "10.0.1.2:5060"

    /// The SRC's offer: two labelled audio streams (labels 1 and 2) from 10.0.0.1.
    static func srcOffer(direction: String = "sendonly") -> String {
        SIPRECBody.offer(address: "10.0.0.1", direction: direction)
    }

    /// The SRS's answer: both streams on 10.0.0.2 at ports 40000 and 40002 (or `mediaConnection`
    /// as a c= line on the second m-line only, overriding the session c=).
    static func srsAnswer(direction: String = "recvonly", secondMediaConnection: String? = nil,
                          ports: (Int, Int) = (40000, 40002)) -> String {
        var text = """
        v=0
        o=SRS 7 7 IN IP4 10.0.0.2
        s=-
        c=IN IP4 10.0.0.2
        t=0 0
        m=audio \(ports.0) RTP/AVP 0 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000
        a=label:1
        a=\(direction)
        m=audio \(ports.1) RTP/AVP 8

        """
        if let secondMediaConnection { text += "c=IN IP4 \(secondMediaConnection)\n" }
        text += """
        a=rtpmap:8 PCMA/8000
        a=label:2
        a=\(direction)

        """
        return text
    }

    static func multipart(sdp: String) -> String {
        SIPRECBody.multipart(sdp: sdp)
    }

    /// A request as text (CRLF line ends).
    static func requestText(_ method: String, callID: String, cseq: Int, from: String = "10.0.0.1",
                            to: String = "10.0.0.2", extra: String = "", body: String = "",
                            contentType: String? = nil) -> String {
        let crlfBody = body.replacingLFWithCRLF
        var text = """
        \(method) sip:peer@\(to):5060 SIP/2.0
        Via: SIP/2.0/UDP \(from):5060;branch=z9hG4bK-\(callID)-\(cseq)-\(method)
        Max-Forwards: 70
        From: <sip:a@\(from)>;tag=from-tag
        To: <sip:b@\(to)>
        Call-ID: \(callID)
        CSeq: \(cseq) \(method)
        Contact: <sip:a@\(from):5060>

        """
        text += extra
        if let contentType { text += "Content-Type: \(contentType)\n" }
        text += "Content-Length: \(crlfBody.utf8.count)\n\n"
        return text.replacingLFWithCRLF + crlfBody
    }

    /// A response as text (CRLF line ends).
    static func responseText(_ code: Int, _ reason: String, callID: String, cseq: Int, method: String = "INVITE",
                             from: String = "10.0.0.1", to: String = "10.0.0.2", body: String = "",
                             contentType: String? = nil) -> String {
        let crlfBody = body.replacingLFWithCRLF
        var text = """
        SIP/2.0 \(code) \(reason)
        Via: SIP/2.0/UDP \(from):5060;branch=z9hG4bK-\(callID)-\(cseq)-\(method)
        From: <sip:a@\(from)>;tag=from-tag
        To: <sip:b@\(to)>;tag=to-tag
        Call-ID: \(callID)
        CSeq: \(cseq) \(method)

        """
        if let contentType { text += "Content-Type: \(contentType)\n" }
        text += "Content-Length: \(crlfBody.utf8.count)\n\n"
        return text.replacingLFWithCRLF + crlfBody
    }

    static func parse(_ text: String) throws -> SIPMessage {
        try SIPParser.parse(Array(text.utf8))
    }

    /// A SIPREC INVITE: Require: siprec, multipart SDP + metadata.
    static func siprecInvite(callID: String = "rec-1", cseq: Int = 1, direction: String = "sendonly") throws -> SIPMessage {
        try parse(requestText("INVITE", callID: callID, cseq: cseq, extra: "Require: siprec\n",
                              body: multipart(sdp: srcOffer(direction: direction)),
                              contentType: SIPRECBody.contentType))
    }

    /// A re-INVITE from the SRC with SDP only.
    static func reInvite(callID: String = "rec-1", cseq: Int, direction: String) throws -> SIPMessage {
        try parse(requestText("INVITE", callID: callID, cseq: cseq, extra: "Require: siprec\n",
                              body: srcOffer(direction: direction), contentType: "application/sdp"))
    }

    static func ok(callID: String = "rec-1", cseq: Int = 1, method: String = "INVITE", sdp: String? = nil) throws -> SIPMessage {
        try parse(responseText(200, "OK", callID: callID, cseq: cseq, method: method, body: sdp ?? "",
                               contentType: sdp == nil ? nil : "application/sdp"))
    }

    static func provisional(callID: String = "rec-1", cseq: Int = 1) throws -> SIPMessage {
        try parse(responseText(100, "Trying", callID: callID, cseq: cseq))
    }

    static func request(_ method: String, callID: String = "rec-1", cseq: Int) throws -> SIPMessage {
        try parse(requestText(method, callID: callID, cseq: cseq))
    }

    // MARK: Plain SIP call

    static let callerOffer = """
    v=0
    o=alice 1 1 IN IP4 10.0.1.1
    s=-
    c=IN IP4 10.0.1.1
    t=0 0
    m=audio 7000 RTP/AVP 0
    a=rtpmap:0 PCMU/8000
    a=sendrecv

    """

    static let calleeAnswer = """
    v=0
    o=bob 2 2 IN IP4 10.0.1.2
    s=-
    c=IN IP4 10.0.1.2
    t=0 0
    m=audio 8000 RTP/AVP 0
    a=rtpmap:0 PCMU/8000
    a=sendrecv

    """

    static func plainInvite(callID: String = "plain-1", cseq: Int = 1, sdp: String = callerOffer) throws -> SIPMessage {
        try parse(requestText("INVITE", callID: callID, cseq: cseq, from: "10.0.1.1", to: "10.0.1.2",
                              body: sdp, contentType: "application/sdp"))
    }

    static func plainOK(callID: String = "plain-1", cseq: Int = 1, sdp: String = calleeAnswer) throws -> SIPMessage {
        try parse(responseText(200, "OK", callID: callID, cseq: cseq, from: "10.0.1.1", to: "10.0.1.2",
                               body: sdp, contentType: "application/sdp"))
    }
}

extension PassiveSessionTrackerHarness {
    /// Offer from SRC, 100 Trying and 200 OK from SRS; returns every event.
    mutating func establishSiprec(callID: String = "rec-1", at nanos: Int64 = 1_000) throws -> [ObservedEvent] {
        var events: [ObservedEvent] = []
        events += try fromSRC(PassiveCallScript.siprecInvite(callID: callID), at: nanos)
        events += try fromSRS(PassiveCallScript.provisional(callID: callID), at: nanos + 1)
        events += try fromSRS(PassiveCallScript.ok(callID: callID, sdp: PassiveCallScript.srsAnswer()), at: nanos + 2)
        return events
    }
}

/// A tracker fed messages in one direction or the other.
struct PassiveSessionTrackerHarness {
    var tracker: PassiveSessionTracker

    init(recordPlainCalls: Bool = true) {
        tracker = PassiveSessionTracker(recordPlainCalls: recordPlainCalls)
    }

    mutating func fromSRC(_ message: SIPMessage, at nanos: Int64) -> [ObservedEvent] {
        tracker.observe(message, source: PassiveCallScript.src, destination: PassiveCallScript.srs, atNanos: nanos)
    }

    mutating func fromSRS(_ message: SIPMessage, at nanos: Int64) -> [ObservedEvent] {
        tracker.observe(message, source: PassiveCallScript.srs, destination: PassiveCallScript.src, atNanos: nanos)
    }

    mutating func fromCaller(_ message: SIPMessage, at nanos: Int64) -> [ObservedEvent] {
        tracker.observe(message, source: PassiveCallScript.caller, destination: PassiveCallScript.callee, atNanos: nanos)
    }

    mutating func fromCallee(_ message: SIPMessage, at nanos: Int64) -> [ObservedEvent] {
        tracker.observe(message, source: PassiveCallScript.callee, destination: PassiveCallScript.caller, atNanos: nanos)
    }
}

/// Pattern-matching helpers for `ObservedEvent`.
extension ObservedEvent {
    var started: ObservedSession? {
        if case .started(let session, _) = self { return session }
        return nil
    }

    var updated: ObservedSession? {
        if case .updated(let session, _) = self { return session }
        return nil
    }

    var endedCallID: String? {
        if case .ended(let callID, _) = self { return callID }
        return nil
    }

    var nanos: Int64 {
        switch self {
        case .started(_, let at), .updated(_, let at), .ended(_, let at): at
        }
    }
}
