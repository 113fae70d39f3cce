/// A Content-Type value (RFC 3261 §20.15, RFC 2045 §5.1), e.g.
/// `multipart/mixed;boundary="unique-boundary-1"`.
public struct SIPContentType: Sendable, Equatable, CustomStringConvertible {
    /// The top-level type, lowercased (`application`).
    public var type: String
    /// The subtype, lowercased (`sdp`, `rs-metadata+xml`).
    public var subtype: String
    /// Parameters in order; quoted values are unquoted (so `boundary` is usable directly).
    public var parameters: [SIPParameter]

    /// Creates a content type.
    public init(type: String, subtype: String, parameters: [SIPParameter] = []) {
        self.type = type.asciiLowercased
        self.subtype = subtype.asciiLowercased
        self.parameters = parameters
    }

    /// Parses a Content-Type value. Whitespace around `/` is tolerated because
    /// real equipment sends it; an empty type or subtype is not.
    public init?(parsing text: String) {
        let pieces = splitOutsideQuotes(text.trimmingSIPWhitespace, separator: ";", respectAngleBrackets: false)
        guard let mediaRange = pieces.first, let slash = mediaRange.firstIndex(of: "/") else { return nil }
        let type = mediaRange[..<slash].trimmingSIPWhitespace
        let subtype = mediaRange[mediaRange.index(after: slash)...].trimmingSIPWhitespace
        guard isToken(type), isToken(subtype) else { return nil }
        self.type = type.asciiLowercased
        self.subtype = subtype.asciiLowercased
        self.parameters = pieces.dropFirst().flatMap { SIPParameter.parseList($0, unquote: true) }
    }

    /// `type/subtype`, e.g. `application/sdp`.
    public var mediaType: String { "\(type)/\(subtype)" }

    /// A parameter value by case-insensitive name (e.g. `boundary`, `charset`).
    public func parameter(_ name: String) -> String? { parameters.lookup(name) ?? nil }

    /// The value as header text; parameter values are quoted when they need it.
    public var description: String {
        var text = mediaType
        for parameter in parameters {
            text += ";" + parameter.name
            if let value = parameter.value {
                text += "=" + (isToken(value) ? value : quoted(value))
            }
        }
        return text
    }
}
