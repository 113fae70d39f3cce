/// Media direction attributes (RFC 4566 §6, RFC 3264 §6.1), from the sender's
/// point of view of the SDP in which they appear.
public enum SDPDirection: String, Sendable {
    /// Sends and receives (the default when no attribute is present).
    case sendrecv
    /// Only sends: what an SRC offers for each recorded stream.
    case sendonly
    /// Only receives: what the recorder answers to a sendonly stream.
    case recvonly
    /// Neither sends nor receives (call on hold, stream paused).
    case inactive
}
