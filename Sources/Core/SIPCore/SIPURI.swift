/// A SIP, SIPS (RFC 3261 §19.1) or tel (RFC 3966) URI.
///
/// For `tel:` URIs the telephone number is held in `user` and `host` is empty,
/// because a tel URI has no host part.
public struct SIPURI: Sendable, Equatable, CustomStringConvertible {
    /// `sip`, `sips` or `tel`, lowercased.
    public var scheme: String
    /// The user part (still percent-encoded, as received).
    public var user: String?
    /// The password part of `user:password@host` (deprecated but legal).
    public var password: String?
    /// The host: a name, an IPv4 address, or an IPv6 address without brackets.
    public var host: String
    /// The port, when given.
    public var port: Int?
    /// URI parameters such as `transport=tcp` or `lr`, in order.
    public var parameters: [SIPParameter]
    /// The `?header=value&…` part without the `?`.
    public var headers: String?

    /// Creates a URI from parts.
    public init(scheme: String = "sip", user: String? = nil, password: String? = nil, host: String,
                port: Int? = nil, parameters: [SIPParameter] = [], headers: String? = nil) {
        self.scheme = scheme
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.parameters = parameters
        self.headers = headers
    }

    /// Parses a URI such as `sip:srs@[2001:db8::5]:5070;transport=tcp`.
    /// Returns nil for other schemes or malformed input.
    public init?(parsing text: String) {
        let trimmed = text.trimmingSIPWhitespace
        guard let colon = trimmed.firstIndex(of: ":") else { return nil }
        let scheme = trimmed[..<colon].asciiLowercased
        var rest = trimmed[trimmed.index(after: colon)...]
        guard !rest.isEmpty, !rest.contains(where: { $0 == " " || $0 == "\t" || $0 == "<" || $0 == ">" }) else {
            return nil
        }
        self.scheme = scheme
        if let question = rest.firstIndex(of: "?") {
            headers = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        } else {
            headers = nil
        }
        switch scheme {
        case "tel":
            let pieces = rest.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
            guard let number = pieces.first, !number.isEmpty else { return nil }
            user = String(number)
            password = nil
            host = ""
            port = nil
            parameters = pieces.count > 1 ? SIPParameter.parseList(pieces[1], unquote: false) : []
        case "sip", "sips":
            // The user part may itself contain ';' (user parameters), so the
            // userinfo ends at '@', and only then do URI parameters start.
            var hostPart = rest
            if let at = rest.firstIndex(of: "@") {
                let userinfo = rest[..<at]
                hostPart = rest[rest.index(after: at)...]
                if let passwordColon = userinfo.firstIndex(of: ":") {
                    user = String(userinfo[..<passwordColon])
                    password = String(userinfo[userinfo.index(after: passwordColon)...])
                } else {
                    user = String(userinfo)
                    password = nil
                }
                guard let user, !user.isEmpty else { return nil }
            } else {
                user = nil
                password = nil
            }
            let semicolon = hostPart.firstIndex(of: ";") ?? hostPart.endIndex
            guard let hostPort = parseHostPort(hostPart[..<semicolon]) else { return nil }
            host = hostPort.host
            port = hostPort.port
            parameters = SIPParameter.parseList(hostPart[semicolon...], unquote: false)
        default:
            return nil
        }
    }

    /// Looks a URI parameter up by case-insensitive name: nil when absent,
    /// `.some(nil)` when present without a value (e.g. `lr`).
    public func parameter(_ name: String) -> String?? { parameters.lookup(name) }

    /// The `transport` parameter lowercased, if present.
    public var transport: String? { (parameter("transport") ?? nil)?.asciiLowercased }

    /// The URI as text; IPv6 hosts are bracketed. Parsing this gives back an equal value.
    public var description: String {
        var text = scheme + ":"
        if scheme == "tel" {
            text += user ?? ""
        } else {
            if let user {
                text += user
                if let password { text += ":" + password }
                text += "@"
            }
            text += bracketedHost(host)
            if let port { text += ":\(port)" }
        }
        text += parameters.serialized
        if let headers { text += "?" + headers }
        return text
    }
}
