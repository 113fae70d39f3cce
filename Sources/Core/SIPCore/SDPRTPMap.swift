/// An `a=rtpmap:` mapping (RFC 4566 §6): payload type to encoding.
public struct SDPRTPMap: Sendable, Equatable {
    /// The encoding name as offered, e.g. `PCMU`, `telephone-event`.
    public var encodingName: String
    /// RTP clock rate in Hz.
    public var clockRate: Int
    /// Channel count when given (audio only).
    public var channels: Int?

    /// Creates a mapping.
    public init(encodingName: String, clockRate: Int, channels: Int? = nil) {
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }

    /// Parses `encoding/clock[/channels]`, bounding numbers so hostile values cannot overflow.
    init?(parsing text: Substring) {
        let pieces = text.trimmingSIPWhitespace.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2 || pieces.count == 3, !pieces[0].isEmpty,
              let clock = parseBoundedDecimal(pieces[1], max: 100_000_000) else { return nil }
        var channels: Int?
        if pieces.count == 3 {
            guard let count = parseBoundedDecimal(pieces[2], max: 255) else { return nil }
            channels = count
        }
        self.init(encodingName: String(pieces[0]), clockRate: clock, channels: channels)
    }

    /// `encoding/clock[/channels]`.
    var serialized: String {
        var text = "\(encodingName)/\(clockRate)"
        if let channels { text += "/\(channels)" }
        return text
    }

    /// Static audio payload types (RFC 3551 §6) that peers may use without an rtpmap.
    static let staticPayloadTypes: [Int: SDPRTPMap] = [
        0: SDPRTPMap(encodingName: "PCMU", clockRate: 8000),
        3: SDPRTPMap(encodingName: "GSM", clockRate: 8000),
        4: SDPRTPMap(encodingName: "G723", clockRate: 8000),
        8: SDPRTPMap(encodingName: "PCMA", clockRate: 8000),
        9: SDPRTPMap(encodingName: "G722", clockRate: 8000),
        13: SDPRTPMap(encodingName: "CN", clockRate: 8000),
        18: SDPRTPMap(encodingName: "G729", clockRate: 8000),
    ]
}
