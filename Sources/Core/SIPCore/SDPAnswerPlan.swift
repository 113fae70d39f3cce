/// Why an accepted stream is not received now: the SRC holds it (RFC 3264 §8.4 and the RFC 2543 way).
public enum SDPHold: String, Sendable, Equatable {
    /// `a=inactive`.
    case inactive
    /// `a=recvonly`: the SRC would only receive, so it sends nothing to record.
    case recvonly
    /// `c=IN IP4 0.0.0.0` (or `::`): the old way to hold (BroadWorks pauses recording with it).
    case nullAddress
    /// The m-line's port is 0 in a re-offer: the stream is switched off for now.
    case portZero
}

/// One payload format of an m-line: its payload type, encoding name (upper case, e.g. `PCMA`) and, for a
/// format the answer took, the offer's `a=fmtp` parameters (`octet-align=1`, `annexb=no`), which say how
/// its payloads are laid out.
public struct SDPFormat: Sendable, Equatable {
    public var payloadType: Int
    public var encoding: String
    public var parameters: String?
    /// The rtpmap's clock rate and channels (`opus/48000/2`), for a format the answer took.
    public var clockRate: Int
    public var channels: Int?

    public init(payloadType: Int, encoding: String, parameters: String? = nil, clockRate: Int = 8000, channels: Int? = nil) {
        self.payloadType = payloadType
        self.encoding = encoding
        self.parameters = parameters
        self.clockRate = clockRate
        self.channels = channels
    }

}

/// Whether the recorder decodes an offered audio format (rtpmap and fmtp parameters): the media side
/// knows, SIPCore asks.
public typealias SDPDecodable = @Sendable (_ map: SDPRTPMap, _ parameters: String?) -> Bool

/// What the answer decided for one offered m-line, for the media pipeline to act on.
public struct SDPAnswerPlan: Sendable, Equatable {
    /// Index of the m-line in both offer and answer.
    public var mLineIndex: Int
    /// True when the stream will be received; false when answered with port 0.
    public var accepted: Bool
    /// The offered `a=label`, linking the stream to the recording metadata.
    public var label: String?
    /// Every audio format siprecd decodes that the offer listed, in the offer's order: the SRC may send
    /// any of them, and switch per packet.
    public var audio: [SDPFormat]
    /// Telephone-event payload types offered (8 kHz).
    public var telephoneEvents: [Int]
    /// Comfort-noise payload types offered (8 kHz).
    public var comfortNoise: [Int]
    /// Formats the offer listed that siprecd cannot decode (named in warnings when they arrive).
    public var undecodable: [SDPFormat]
    /// The direction written in the answer (`inactive` for rejected streams).
    public var direction: SDPDirection
    /// Why the stream is held, when it is.
    public var hold: SDPHold?
    /// The SRC's SDES key the stream is decrypted with (nil: plain RTP).
    public var crypto: SDPCrypto?
    /// Why the m-line was refused for its transport or keys (SRTP policy, unusable `a=crypto`), for the 488.
    public var securityRefusal: String?

    /// The preferred audio payload type (the offer's first decodable one).
    public var payloadType: Int? { audio.first?.payloadType }
    /// `PCMU` or `PCMA`: the preferred audio encoding.
    public var encoding: String? { audio.first?.encoding }
    /// The first telephone-event payload type, when offered.
    public var telephoneEventPT: Int? { telephoneEvents.first }
    /// The first comfort-noise payload type, when offered.
    public var comfortNoisePT: Int? { comfortNoise.first }

    /// Creates a plan entry.
    public init(mLineIndex: Int, accepted: Bool, label: String? = nil, audio: [SDPFormat] = [], telephoneEvents: [Int] = [],
                comfortNoise: [Int] = [], undecodable: [SDPFormat] = [], direction: SDPDirection, hold: SDPHold? = nil,
                crypto: SDPCrypto? = nil, securityRefusal: String? = nil) {
        self.mLineIndex = mLineIndex
        self.accepted = accepted
        self.label = label
        self.audio = audio
        self.telephoneEvents = telephoneEvents
        self.comfortNoise = comfortNoise
        self.undecodable = undecodable
        self.direction = direction
        self.hold = hold
        self.crypto = crypto
        self.securityRefusal = securityRefusal
    }
}
