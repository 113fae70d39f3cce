import RecordingMetadata
import SIPCore

/// A call seen on the wire between two other parties (passive mode and replay): what the INVITE offered,
/// what the 200 OK answered, and where each stream's RTP goes.
public struct ObservedSession: Sendable {
    /// One m-line of the call and the RTP destination that carries it.
    public struct Stream: Sendable {
        public var mLineIndex: Int
        public var label: String?
        /// "ip:port" the RTP of this stream is sent to.
        public var destinationAddress: String
        public var destinationPort: Int
        /// The SDP that describes the receiving side (its payload types).
        public var receiverMedia: SDPMedia
        /// Which side's audio this stream carries, for plain SIP calls (nil for SIPREC: decided by metadata).
        public var plainCallRole: String?
        public var active: Bool
        /// The key the stream's sender protects with, when it is SRTP.
        public var srtp: ObservedSRTPKey = .plain
    }

    public var callID: String
    public var invite: SIPMessage
    public var offer: SDPSession
    public var answer: SDPSession
    public var metadata: RecordingMetadata?
    public var metadataError: String?
    /// What had to be repaired to read the metadata (warning `metadataRepaired`).
    public var metadataRepairs: [String] = []
    public var siprecIndications: [String]
    /// The SRC (or caller) "ip:port".
    public var source: String
    public var streams: [Stream]

    public var isSiprec: Bool { !siprecIndications.isEmpty }
}

/// What the tracker reports.
public enum ObservedEvent: Sendable {
    case started(ObservedSession, atNanos: Int64)
    /// A re-INVITE/UPDATE was answered: new directions (and metadata).
    case updated(ObservedSession, atNanos: Int64)
    case ended(callID: String, atNanos: Int64)
}
