/// A parsed SDP session description (RFC 4566).
public struct SDPSession: Sendable, Equatable {
    /// Upper bound on m-lines: SIPREC offers carry a handful, and the answer
    /// allocates ports per m-line, so thousands would be a resource attack.
    public static let maxMediaDescriptions = 64

    /// `v=`, always 0 today.
    public var version: Int
    /// `o=`; nil when the offer omitted it (tolerated, some recorders' peers do).
    public var origin: SDPOrigin?
    /// `s=`; `-` when absent.
    public var sessionName: String
    /// Session-level `c=`; nil when every m-line has its own (or none at all).
    public var connection: SDPConnection?
    /// Session-level attributes in order.
    public var attributes: [SDPAttribute]
    /// The first `t=` value, `0 0` when absent.
    public var timing: String
    /// Media descriptions in order.
    public var media: [SDPMedia]

    /// Creates a session description.
    public init(version: Int = 0, origin: SDPOrigin? = nil, sessionName: String = "-",
                connection: SDPConnection? = nil, attributes: [SDPAttribute] = [],
                timing: String = "0 0", media: [SDPMedia] = []) {
        self.version = version
        self.origin = origin
        self.sessionName = sessionName
        self.connection = connection
        self.attributes = attributes
        self.timing = timing
        self.media = media
    }

    /// The session-level direction attribute, if any.
    public var direction: SDPDirection? { attributes.direction }

    /// The description as bytes with CRLF line ends, lines in RFC 4566 order.
    public func serialized() -> [UInt8] {
        var lines = ["v=\(version)"]
        if let origin { lines.append("o=" + origin.serialized) }
        lines.append("s=" + (sessionName.isEmpty ? "-" : sessionName))
        if let connection { lines.append("c=" + connection.serialized) }
        lines.append("t=" + timing)
        lines += attributes.map { "a=" + $0.serialized }
        for item in media {
            lines.append("m=" + item.serializedMLine)
            if let connection = item.connection { lines.append("c=" + connection.serialized) }
            lines += item.attributes.map { "a=" + $0.serialized }
        }
        var text = lines.joined(separator: "\r\n")
        text += "\r\n"
        return Array(text.utf8)
    }
}
