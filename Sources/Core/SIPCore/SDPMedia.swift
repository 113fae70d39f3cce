/// One SDP media description: the `m=` line and the lines after it.
public struct SDPMedia: Sendable, Equatable {
    /// Media type, e.g. `audio`.
    public var type: String
    /// Transport port; 0 means the stream is rejected or disabled.
    public var port: Int
    /// The `/count` after the port, when given.
    public var portCount: Int?
    /// Transport protocol, e.g. `RTP/AVP`.
    public var proto: String
    /// Formats in preference order (payload types as text for RTP).
    public var formats: [String]
    /// Media-level `c=` line, overriding the session one.
    public var connection: SDPConnection?
    /// Media-level attributes in order.
    public var attributes: [SDPAttribute]

    /// Creates a media description.
    public init(type: String, port: Int, portCount: Int? = nil, proto: String, formats: [String],
                connection: SDPConnection? = nil, attributes: [SDPAttribute] = []) {
        self.type = type
        self.port = port
        self.portCount = portCount
        self.proto = proto
        self.formats = formats
        self.connection = connection
        self.attributes = attributes
    }

    /// `a=label` (RFC 4574), which SIPREC metadata uses to name streams.
    public var label: String? { attributes.firstValue("label") }

    /// The direction attribute on this m-line only; nil when none is present.
    public var explicitDirection: SDPDirection? { attributes.direction }

    /// The direction on this m-line, `sendrecv` when none is present.
    /// Use ``effectiveDirection(session:)`` to honour a session-level attribute.
    public var direction: SDPDirection { explicitDirection ?? .sendrecv }

    /// The direction that applies: media level, else session level, else `sendrecv`.
    public func effectiveDirection(session: SDPSession) -> SDPDirection {
        explicitDirection ?? session.attributes.direction ?? .sendrecv
    }

    /// Whether the profile is secure RTP (`RTP/SAVP`, `RTP/SAVPF`; RFC 3711, RFC 5124).
    public var isSecureRTP: Bool {
        let profile = proto.uppercased()
        return profile == "RTP/SAVP" || profile == "RTP/SAVPF"
    }

    /// The `a=crypto` lines in the offer's order (its preference, RFC 4568 §7.1.1), each parsed or with the
    /// reason it cannot be used.
    public var cryptoOffers: [Result<SDPCrypto, SDPCryptoError>] {
        attributes.filter { $0.name.asciiLowercased == "crypto" }.map { attribute in
            Result { () throws(SDPCryptoError) in try SDPCrypto(parsing: (attribute.value ?? "")[...].trimmingSIPWhitespace) }
        }
    }

    /// Payload type to encoding, from the `a=rtpmap` lines (malformed ones skipped).
    public var rtpMaps: [Int: SDPRTPMap] {
        var maps: [Int: SDPRTPMap] = [:]
        for attribute in attributes where attribute.name.asciiLowercased == "rtpmap" {
            guard let value = attribute.value?[...].trimmingSIPWhitespace,
                  let space = value.firstIndex(where: { $0 == " " || $0 == "\t" }),
                  let payloadType = parseBoundedDecimal(value[..<space], max: 127),
                  let map = SDPRTPMap(parsing: value[space...]) else { continue }
            if maps[payloadType] == nil { maps[payloadType] = map }
        }
        return maps
    }

    /// The encoding for a payload type: its rtpmap, else the static assignment
    /// (0 PCMU, 3 GSM, 8 PCMA, 9 G722, 13 CN, 18 G729 …), else nil.
    public func encoding(for payloadType: Int) -> SDPRTPMap? {
        rtpMaps[payloadType] ?? SDPRTPMap.staticPayloadTypes[payloadType]
    }

    /// The `a=fmtp` parameters for a payload type, e.g. `0-16` for telephone-event.
    public func fmtp(for payloadType: Int) -> String? {
        for attribute in attributes where attribute.name.asciiLowercased == "fmtp" {
            guard let value = attribute.value?[...].trimmingSIPWhitespace,
                  let space = value.firstIndex(where: { $0 == " " || $0 == "\t" }),
                  parseBoundedDecimal(value[..<space], max: 127) == payloadType else { continue }
            return String(value[space...].trimmingSIPWhitespace)
        }
        return nil
    }

    /// Parses the value after `m=`: `type port[/count] proto fmt…`.
    init(parsing text: Substring) throws(SIPParseError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 4 else {
            throw SIPParseError(.invalidSDP, "m= line \"\(text.prefix(60))\" needs type, port, protocol and formats")
        }
        let portField = fields[1].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let port = parseBoundedDecimal(portField[0], max: 65_535) else {
            throw SIPParseError(.invalidSDP, "m= line port \"\(fields[1].prefix(20))\" is not in 0-65535")
        }
        var count: Int?
        if portField.count == 2 {
            guard let value = parseBoundedDecimal(portField[1], max: 65_535), value > 0 else {
                throw SIPParseError(.invalidSDP, "m= line port count \"\(fields[1].prefix(20))\" is invalid")
            }
            count = value
        }
        self.init(type: String(fields[0]), port: port, portCount: count, proto: String(fields[2]),
                  formats: fields.dropFirst(3).map(String.init))
    }

    /// The `m=` value as serialised.
    var serializedMLine: String {
        var portText = String(port)
        if let portCount { portText += "/\(portCount)" }
        return ([type, portText, proto] + formats).joined(separator: " ")
    }
}
