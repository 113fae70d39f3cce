/// An SDP `a=` line: `a=name` (property) or `a=name:value`.
public struct SDPAttribute: Sendable, Equatable {
    /// The attribute name, e.g. `rtpmap`, `label`, `sendonly`.
    public var name: String
    /// The text after the first colon, or nil for property attributes.
    public var value: String?

    /// Creates an attribute.
    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// Parses the text after `a=`.
    init(parsing text: Substring) {
        if let colon = text.firstIndex(of: ":") {
            self.init(name: String(text[..<colon]), value: String(text[text.index(after: colon)...]))
        } else {
            self.init(name: String(text), value: nil)
        }
    }

    var serialized: String {
        if let value { return "\(name):\(value)" }
        return name
    }
}

extension Array where Element == SDPAttribute {
    /// The value of the first attribute with this name (names compared case-insensitively).
    func firstValue(_ name: String) -> String? {
        let wanted = name.asciiLowercased
        return first(where: { $0.name.asciiLowercased == wanted })?.value
    }

    /// The first direction attribute, if any.
    var direction: SDPDirection? {
        for attribute in self where attribute.value == nil {
            if let direction = SDPDirection(rawValue: attribute.name.asciiLowercased) { return direction }
        }
        return nil
    }
}
