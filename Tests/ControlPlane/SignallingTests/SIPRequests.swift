/// SIP requests an SRC sends, as text with LF line ends (the harness converts to CRLF).
enum SIPRequests {
    static let sdp = """
    v=0
    o=SRC 1 1 IN IP4 127.0.0.1
    s=-
    c=IN IP4 127.0.0.1
    t=0 0
    m=audio 6000 RTP/AVP 0 101
    a=rtpmap:0 PCMU/8000
    a=rtpmap:101 telephone-event/8000
    a=label:1
    a=sendonly
    m=audio 6002 RTP/AVP 8
    a=rtpmap:8 PCMA/8000
    a=label:2
    a=sendonly

    """

    static let metadata = """
    <?xml version="1.0" encoding="UTF-8"?>
    <recording xmlns="urn:ietf:params:xml:ns:recording:1">
      <datamode>complete</datamode>
      <session session_id="s1"><sipSessionID>abc</sipSessionID></session>
      <participant participant_id="p1"><nameID aor="sip:alice@example.com"/></participant>
      <participant participant_id="p2"><nameID aor="sip:bob@example.com"/></participant>
      <stream stream_id="st1" session_id="s1"><label>1</label></stream>
      <stream stream_id="st2" session_id="s1"><label>2</label></stream>
      <participantstreamassoc participant_id="p1"><send>st1</send></participantstreamassoc>
      <participantstreamassoc participant_id="p2"><send>st2</send></participantstreamassoc>
    </recording>

    """

    static func multipartBody() -> String {
        "--BOUNDARY\nContent-Type: application/sdp\n\n\(sdp)\n--BOUNDARY\nContent-Type: application/rs-metadata+xml\nContent-Disposition: recording-session\n\n\(metadata)\n--BOUNDARY--\n"
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
                contentType: "multipart/mixed;boundary=BOUNDARY")
    }
}
