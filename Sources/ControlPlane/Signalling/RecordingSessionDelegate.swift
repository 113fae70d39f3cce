import RecordingMetadata
import SIPCore

/// A new recording session offered by a Session Recording Client (the first INVITE of a dialog).
public struct SessionOffer: Sendable {
    /// Identifies the dialog for later calls (Call-ID and our To-tag).
    public var dialogID: String
    public var callID: String
    public var requestURI: SIPURI?
    public var from: SIPNameAddr?
    public var to: SIPNameAddr?
    /// The SRC's address, "ip:port".
    public var source: String
    public var transport: SIPFlow.Transport
    /// Why the request counts as SIPREC ("Require: siprec", "+sip.src", "metadata"); empty for plain SIP.
    public var siprecIndications: [String]
    /// The SRC's offer; nil for a delayed offer (RFC 3261 §13.3.1: the INVITE has no SDP, our 200 OK
    /// carries the offer and the ACK the SRC's answer).
    public var sdp: SDPSession?
    public var metadata: RecordingMetadata?
    /// Why the metadata part was not usable, when it was present but broken.
    public var metadataError: String?
    /// What had to be repaired to read the metadata (warning `metadataRepaired`).
    public var metadataRepairs: [String] = []
    /// The metadata part as received.
    public var metadataText: String?
    /// The whole INVITE, for header-based rules.
    public var invite: SIPMessage
}

/// An in-dialog change: a re-INVITE or UPDATE with new SDP and/or metadata.
public struct SessionUpdate: Sendable {
    public var dialogID: String
    public var sdp: SDPSession?
    public var metadata: RecordingMetadata?
    public var metadataError: String?
    /// What had to be repaired to read the metadata (warning `metadataRepaired`).
    public var metadataRepairs: [String]
    /// When the request (or the ACK carrying an answer) was read, CLOCK_MONOTONIC ns: a pause or resume
    /// it makes falls there on the timeline.
    public var receivedNanos: Int64

    public init(dialogID: String, sdp: SDPSession?, metadata: RecordingMetadata?, metadataError: String?,
                metadataRepairs: [String] = [], receivedNanos: Int64) {
        self.dialogID = dialogID
        self.sdp = sdp
        self.metadata = metadata
        self.metadataError = metadataError
        self.metadataRepairs = metadataRepairs
        self.receivedNanos = receivedNanos
    }
}

/// The answer to an offer or update.
public enum SessionDecision: Sendable {
    /// Answered 200 with this SDP (our answer, or our offer when the INVITE had none).
    case accept(answer: SDPSession)
    /// Refused: `reason` is the reason phrase ("Not Acceptable Here - …"); the text after " - " also goes
    /// in a `Warning:` header with `warningCode` (RFC 3261 §20.43: 305 incompatible media, 399 otherwise).
    case reject(statusCode: Int, reason: String, warningCode: Int = 399)
}

/// Why a dialog ended.
public enum SessionEnd: String, Sendable {
    case bye, cancelled, missingAck, terminatedLocally
    /// The ACK to a 200 OK that carried siprecd's offer (delayed offer) had no usable SDP answer.
    case noAnswerInAck
    /// The RFC 4028 session timer ran out without a refresh from the SRC.
    case sessionExpired
    /// The SRC did not answer an in-dialog probe or refresh, or answered that the dialog is gone.
    case srcGone
    /// Every stream was held for `[sip] heldSessionTimeout`.
    case heldSessionTimeout
}

/// The recording service behind the SIP server. All calls arrive on the SIP event loop; `respond`
/// must be called on that loop too (hop with `eventLoop.execute` if the work went elsewhere).
public protocol RecordingSessionDelegate: AnyObject, Sendable {
    func sessionOffered(_ offer: SessionOffer, respond: @escaping @Sendable (SessionDecision) -> Void)
    func sessionUpdated(_ update: SessionUpdate) -> SessionDecision
    /// The dialog ended at `nanos` (CLOCK_MONOTONIC): when the BYE was read, or when siprecd ended it.
    func sessionEnded(dialogID: String, cause: SessionEnd, atNanos nanos: Int64)
}
