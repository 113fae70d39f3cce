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
    public var sdp: SDPSession
    public var metadata: RecordingMetadata?
    /// Why the metadata part was not usable, when it was present but broken.
    public var metadataError: String?
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
    /// When the request (or the ACK carrying an answer) was read, CLOCK_MONOTONIC ns: a pause or resume
    /// it makes falls there on the timeline.
    public var receivedNanos: Int64

    public init(dialogID: String, sdp: SDPSession?, metadata: RecordingMetadata?, metadataError: String?,
                receivedNanos: Int64) {
        self.dialogID = dialogID
        self.sdp = sdp
        self.metadata = metadata
        self.metadataError = metadataError
        self.receivedNanos = receivedNanos
    }
}

/// The answer to an offer or update.
public enum SessionDecision: Sendable {
    case accept(answer: SDPSession)
    case reject(statusCode: Int, reason: String)
}

/// Why a dialog ended.
public enum SessionEnd: String, Sendable {
    case bye, cancelled, missingAck, terminatedLocally
}

/// The recording service behind the SIP server. All calls arrive on the SIP event loop; `respond`
/// must be called on that loop too (hop with `eventLoop.execute` if the work went elsewhere).
public protocol RecordingSessionDelegate: AnyObject, Sendable {
    func sessionOffered(_ offer: SessionOffer, respond: @escaping @Sendable (SessionDecision) -> Void)
    func sessionUpdated(_ update: SessionUpdate) -> SessionDecision
    /// The dialog ended at `nanos` (CLOCK_MONOTONIC): when the BYE was read, or when siprecd ended it.
    func sessionEnded(dialogID: String, cause: SessionEnd, atNanos nanos: Int64)
}
