/// A From, To, Contact, Refer-To or similar value: optional display name, a URI
/// and header parameters (RFC 3261 §20.10, §25.1 name-addr / addr-spec).
///
/// Handles `"Name, Jr." <sip:a@b>;tag=x`, `<sip:[2001:db8::1]:5060>;+sip.src`,
/// bare `sip:a@b;tag=x` (whose parameters belong to the header, not the URI) and `*`.
public struct SIPNameAddr: Sendable, Equatable, CustomStringConvertible {
    /// The display name without quotes or escapes.
    public var displayName: String?
    /// The parsed URI; nil for `*` or schemes other than sip/sips/tel.
    public var uri: SIPURI?
    /// The URI text exactly as received (what ``description`` writes back).
    public var rawURI: String
    /// Header parameters after the URI, such as `tag` or `+sip.src`, in order.
    public var parameters: [SIPParameter]

    /// Creates a value from parts; `rawURI` defaults to the URI's text.
    public init(displayName: String? = nil, uri: SIPURI, parameters: [SIPParameter] = []) {
        self.displayName = displayName
        self.uri = uri
        self.rawURI = uri.description
        self.parameters = parameters
    }

    /// Parses one name-addr or addr-spec value (not a comma list).
    public init?(parsing text: String) {
        var rest = text.trimmingSIPWhitespace
        guard !rest.isEmpty else { return nil }
        if rest == "*" {
            displayName = nil
            uri = nil
            rawURI = "*"
            parameters = []
            return
        }
        var name: String?
        if rest.first == "\"" {
            guard let close = Self.closingQuote(in: rest) else { return nil }
            name = unquoted(rest[...close])
            rest = rest[rest.index(after: close)...].trimmingSIPWhitespace
            guard rest.first == "<" else { return nil }
        } else if let open = rest.firstIndex(of: "<") {
            let token = rest[..<open].trimmingSIPWhitespace
            name = token.isEmpty ? nil : String(token)
            rest = rest[open...]
        }
        if rest.first == "<" {
            guard let close = rest.firstIndex(of: ">") else { return nil }
            let inner = rest[rest.index(after: rest.startIndex)..<close].trimmingSIPWhitespace
            guard !inner.isEmpty else { return nil }
            rawURI = String(inner)
            let after = rest[rest.index(after: close)...].trimmingSIPWhitespace
            // Anything after '>' other than parameters is garbage we must not guess at.
            guard after.isEmpty || after.first == ";" else { return nil }
            parameters = SIPParameter.parseList(after, unquote: false)
        } else {
            // addr-spec form: RFC 3261 §20 says parameters here are header parameters.
            let semicolon = rest.firstIndex(of: ";") ?? rest.endIndex
            let uriText = rest[..<semicolon].trimmingSIPWhitespace
            guard !uriText.isEmpty, !uriText.contains(" ") else { return nil }
            rawURI = String(uriText)
            parameters = SIPParameter.parseList(rest[semicolon...], unquote: false)
        }
        displayName = name
        uri = SIPURI(parsing: rawURI)
        // A URI needs a scheme; without one this is not a name-addr at all.
        guard rawURI.contains(":") else { return nil }
    }

    /// Looks a header parameter up by case-insensitive name: nil when absent,
    /// `.some(nil)` when present without a value (e.g. `+sip.src`).
    public func parameter(_ name: String) -> String?? { parameters.lookup(name) }

    /// The `tag` parameter (dialog identification).
    public var tag: String? {
        get { parameter("tag") ?? nil }
        set {
            if let newValue { parameters.set("tag", newValue) }
            else { parameters.removeAll(where: { $0.name.asciiLowercased == "tag" }) }
        }
    }

    /// The value as header text, always using `<...>` so parameters stay unambiguous.
    public var description: String {
        if rawURI == "*" { return "*" }
        var text = ""
        if let displayName, !displayName.isEmpty { text += quoted(displayName) + " " }
        text += "<\(rawURI)>"
        text += parameters.serialized
        return text
    }

    /// Index of the quote closing the quoted string that starts `text`.
    private static func closingQuote(in text: Substring) -> Substring.Index? {
        var escaped = false
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if escaped { escaped = false }
            else if character == "\\" { escaped = true }
            else if character == "\"" { return index }
            index = text.index(after: index)
        }
        return nil
    }
}
