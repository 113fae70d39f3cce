/// One element of a parsed ``XMLDocument``: a minimal DOM node.
///
/// Namespaces are deliberately not resolved: SIPREC producers disagree on namespace URIs
/// (with and without `:1`) and prefixes (`tns:`, none), so consumers match on local names.
public struct XMLElement: Sendable, Equatable {
    /// The name exactly as written, e.g. `tns:participant`.
    public var name: String
    /// The part before `:`, e.g. `tns`, or `nil` when the name has no prefix.
    public var prefix: String?
    /// The part after `:`, e.g. `participant`.
    public var localName: String
    /// Attributes in document order.
    public var attributes: [XMLAttribute]
    /// Child elements in document order.
    public var children: [XMLElement]
    /// Concatenated character data directly inside this element (CDATA included), decoded.
    public var text: String
    /// 1-based line of the start tag, for error messages.
    public var line: Int

    /// Creates an element, splitting `name` into prefix and local name.
    public init(name: String, attributes: [XMLAttribute] = [], children: [XMLElement] = [],
                text: String = "", line: Int = 1) {
        self.name = name
        (prefix, localName) = Self.splitQualifiedName(name)
        self.attributes = attributes
        self.children = children
        self.text = text
        self.line = line
    }

    /// `text` without leading and trailing whitespace; what the metadata model reads.
    public var trimmedText: String { text.trimmingXMLWhitespace() }

    /// Whether the local name equals `localName`, ignoring ASCII case.
    public func isNamed(_ localName: String) -> Bool {
        self.localName.lowercased() == localName.lowercased()
    }

    /// The value of the first attribute whose local name matches one of `localNames`
    /// (ASCII case-insensitive, tried in order), or `nil`.
    public func attribute(_ localNames: String...) -> String? {
        for wanted in localNames {
            if let match = attributes.first(where: { $0.localName.lowercased() == wanted.lowercased() }) {
                return match.value
            }
        }
        return nil
    }

    /// The first child whose local name matches (ASCII case-insensitive), or `nil`.
    public func firstChild(_ localName: String) -> XMLElement? {
        children.first { $0.isNamed(localName) }
    }

    /// All children whose local name matches (ASCII case-insensitive).
    public func children(_ localName: String) -> [XMLElement] {
        children.filter { $0.isNamed(localName) }
    }

    /// Trimmed text of the first matching child; `nil` when absent or empty.
    public func childText(_ localName: String) -> String? {
        guard let text = firstChild(localName)?.trimmedText, !text.isEmpty else { return nil }
        return text
    }

    static func splitQualifiedName(_ name: String) -> (prefix: String?, localName: String) {
        guard let colon = name.firstIndex(of: ":") else { return (nil, name) }
        let prefix = String(name[..<colon])
        let local = String(name[name.index(after: colon)...])
        // A leading or trailing colon is not a usable prefix; keep the raw name as local.
        guard !prefix.isEmpty, !local.isEmpty else { return (nil, name) }
        return (prefix, local)
    }
}
