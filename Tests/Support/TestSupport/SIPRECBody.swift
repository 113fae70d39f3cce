/// The SIPREC INVITE body the Swift suites send or observe (LF line ends; the builders convert to CRLF):
/// an SRC's SDP offer of two labelled audio streams and RFC 7865 metadata that names who sends each.
/// One copy for every suite (active SIP server, passive tracker, session timers).
public enum SIPRECBody {
    /// `Content-Type` of `multipart(sdp:)`.
    public static let contentType = "multipart/mixed;boundary=BOUNDARY"

    /// The SRC's offer from `address`: label 1 (PCMU and telephone-event, port 6000) and label 2 (PCMA,
    /// port 6002), both `direction`.
    public static func offer(address: String = "127.0.0.1", direction: String = "sendonly") -> String {
        """
        v=0
        o=SRC 1 1 IN IP4 \(address)
        s=-
        c=IN IP4 \(address)
        t=0 0
        m=audio 6000 RTP/AVP 0 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000
        a=label:1
        a=\(direction)
        m=audio 6002 RTP/AVP 8
        a=rtpmap:8 PCMA/8000
        a=label:2
        a=\(direction)

        """
    }

    /// Complete metadata: session s1, alice sends stream label 1, bob sends label 2.
    public static let metadata = """
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

    /// The multipart body of a SIPREC INVITE: `sdp`, then `metadata` as `recording-session`.
    public static func multipart(sdp: String, metadata: String = metadata) -> String {
        "--BOUNDARY\nContent-Type: application/sdp\n\n\(sdp)\n--BOUNDARY\nContent-Type: application/rs-metadata+xml\nContent-Disposition: recording-session\n\n\(metadata)\n--BOUNDARY--\n"
    }
}
