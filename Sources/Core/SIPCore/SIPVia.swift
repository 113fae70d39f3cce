/// One Via value (RFC 3261 §20.42), e.g. `SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport`.
public struct SIPVia: Sendable, Equatable, CustomStringConvertible {
    /// The transport, uppercased: `UDP`, `TCP`, `TLS`, `WS`, …
    public var transport: String
    /// The sent-by host; IPv6 without brackets.
    public var host: String
    /// The sent-by port, when given.
    public var port: Int?
    /// Via parameters in order (`branch`, `received`, `rport`, …).
    public var parameters: [SIPParameter]

    /// Creates a Via from parts.
    public init(transport: String, host: String, port: Int? = nil, parameters: [SIPParameter] = []) {
        self.transport = transport
        self.host = host
        self.port = port
        self.parameters = parameters
    }

    /// Parses one Via value (not a comma list). Whitespace around the `/` of the
    /// sent-protocol is allowed, as the grammar permits.
    public init?(parsing text: String) {
        let pieces = splitOutsideQuotes(text.trimmingSIPWhitespace, separator: ";", respectAngleBrackets: false)
        guard let first = pieces.first else { return nil }
        let protocolParts = first.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard protocolParts.count == 3,
              protocolParts[0].trimmingSIPWhitespace.asciiUppercased == "SIP",
              !protocolParts[1].trimmingSIPWhitespace.isEmpty else { return nil }
        let transportAndHost = protocolParts[2].trimmingSIPWhitespace
        guard let space = transportAndHost.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return nil }
        let transport = transportAndHost[..<space]
        guard isToken(transport),
              let hostPort = parseHostPort(transportAndHost[space...].trimmingSIPWhitespace) else { return nil }
        self.transport = transport.asciiUppercased
        self.host = hostPort.host
        self.port = hostPort.port
        self.parameters = pieces.dropFirst().flatMap { SIPParameter.parseList($0, unquote: false) }
    }

    /// Looks a parameter up by case-insensitive name: nil when absent,
    /// `.some(nil)` when present without a value.
    public func parameter(_ name: String) -> String?? { parameters.lookup(name) }

    /// Sets (or adds) a parameter, e.g. `received` when the packet came from
    /// another address than sent-by (RFC 3261 §18.2.1).
    public mutating func setParameter(_ name: String, _ value: String?) { parameters.set(name, value) }

    /// The transaction branch.
    public var branch: String? { parameter("branch") ?? nil }

    /// The `received` address a server added.
    public var received: String? { parameter("received") ?? nil }

    /// RFC 3581 rport: nil when absent, `.some(nil)` when requested without a
    /// value, `.some(port)` when filled in by a server. A non-numeric value is
    /// treated as a bare request.
    public var rport: Int?? {
        guard let value = parameter("rport") else { return nil }
        guard let value else { return .some(nil) }
        return .some(parseBoundedDecimal(value, max: 65_535))
    }

    /// The value as header text; IPv6 hosts are bracketed.
    public var description: String {
        var text = "SIP/2.0/\(transport) \(bracketedHost(host))"
        if let port { text += ":\(port)" }
        return text + parameters.serialized
    }
}
