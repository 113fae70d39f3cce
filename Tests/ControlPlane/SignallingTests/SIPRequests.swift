import TestSupport

/// SIP requests an SRC sends, as text with LF line ends (the harness converts to CRLF).
enum SIPRequests {
    static let sdp = SIPRECBody.offer(address: "127.0.0.1")

    static func multipartBody() -> String {
        SIPRECBody.multipart(sdp: sdp)
    }

    static func request(_ method: String, callID: String = "call-1", branch: String = "z9hG4bK-1", cseq: Int = 1,
                        toTag: String? = nil, extra: String = "", body: String = "", contentType: String? = nil) -> String {
        let crlfBody = body.replacingLFWithCRLF
        var text = """
        \(method) sip:recorder@127.0.0.1:5060 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5070;branch=\(branch);rport
        Max-Forwards: 70
        From: <sip:src@127.0.0.1>;tag=src-tag
        To: <sip:recorder@127.0.0.1>\(toTag.map { ";tag=\($0)" } ?? "")
        Call-ID: \(callID)
        CSeq: \(cseq) \(method == "ACK" || method == "CANCEL" ? method : method)
        Contact: <sip:src@127.0.0.1:5070>;+sip.src

        """
        text += extra
        if let contentType { text += "Content-Type: \(contentType)\n" }
        text += "Content-Length: \(crlfBody.utf8.count)\n\n"
        return text + body
    }

    static func invite(callID: String = "call-1", branch: String = "z9hG4bK-1") -> String {
        request("INVITE", callID: callID, branch: branch, extra: "Require: siprec\n", body: multipartBody(),
                contentType: SIPRECBody.contentType)
    }
}
