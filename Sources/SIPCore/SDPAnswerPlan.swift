/// What the answer decided for one offered m-line, for the media pipeline to act on.
public struct SDPAnswerPlan: Sendable, Equatable {
    /// Index of the m-line in both offer and answer.
    public var mLineIndex: Int
    /// True when the stream will be received; false when answered with port 0.
    public var accepted: Bool
    /// The offered `a=label`, linking the stream to the recording metadata.
    public var label: String?
    /// The chosen audio payload type.
    public var payloadType: Int?
    /// `PCMU` or `PCMA`.
    public var encoding: String?
    /// Telephone-event payload type, when offered.
    public var telephoneEventPT: Int?
    /// Comfort-noise payload type, when offered.
    public var comfortNoisePT: Int?
    /// The direction written in the answer (`inactive` for rejected streams).
    public var direction: SDPDirection

    /// Creates a plan entry.
    public init(mLineIndex: Int, accepted: Bool, label: String? = nil, payloadType: Int? = nil,
                encoding: String? = nil, telephoneEventPT: Int? = nil, comfortNoisePT: Int? = nil,
                direction: SDPDirection) {
        self.mLineIndex = mLineIndex
        self.accepted = accepted
        self.label = label
        self.payloadType = payloadType
        self.encoding = encoding
        self.telephoneEventPT = telephoneEventPT
        self.comfortNoisePT = comfortNoisePT
        self.direction = direction
    }
}
