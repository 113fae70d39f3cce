import NIOCore
import SIPCore

/// The SRS side of one SIP dialog (RFC 3261 §12): identity, route back to the SRC, sequence numbers
/// and the last answer we gave (re-sent for metadata-only updates).
struct Dialog {
    let id: String
    let callID: String
    /// The tenant: the INVITE's Request-URI host, lower case (log entries about the dialog carry it).
    let domain: String
    let localTag: String
    var remoteTag: String?
    /// Our To header value as sent in the 2xx (with tag).
    var localAddress: String
    /// Their From header value (with tag).
    var remoteAddress: String
    /// Where in-dialog requests we send go (their Contact, else the Request-URI they used).
    var remoteTarget: String
    /// Record-Route values of the INVITE, in order (our route set as UAS, §12.1.1).
    var routeSet: [String]
    var flow: SIPFlow
    /// The INVITE's Request-URI was `sips:`: siprecd's Contact in the dialog is a SIPS URI too.
    var secure = false
    /// Set up over TLS: its requests are taken over TLS only, from `peerIdentity` (the SRC's certificate,
    /// "subject / issuer"; empty when it presented none).
    var overTLS = false
    var peerIdentity = ""
    var remoteCSeq: UInt32
    var localCSeq: UInt32 = 0
    var answer: SDPSession?
    var answerVersion: UInt64 = 1
    var confirmed = false
    /// Key of the INVITE transaction whose 2xx awaits its ACK, and its CSeq number (the ACK carries it).
    var pendingInvite: TransactionKey?
    var pendingInviteCSeq: UInt32 = 0
    /// The pending re-INVITE had no SDP: our 200 carried the offer, so the ACK carries the SRC's answer.
    var answerExpectedInAck = false
    /// The dialog's first INVITE had no SDP (delayed offer): without an answer in its ACK nothing can be
    /// recorded, so the session ends.
    var initialAnswerExpected = false
    /// The RFC 4028 session timer, when one was negotiated, and the task that acts on it.
    var timer: SessionTimer?
    var timerTask: Scheduled<Void>?
}
