/// One attribute of an ``XMLElement``, with its namespace prefix split off.
public struct XMLAttribute: Sendable, Equatable {
    /// The name exactly as written, e.g. `xml:lang`.
    public var name: String
    /// The part before `:`, or `nil` when the name has no prefix.
    public var prefix: String?
    /// The part after `:` (the whole name when there is no prefix).
    public var localName: String
    /// The value with entity and character references decoded.
    public var value: String

    /// Creates an attribute, splitting `name` into prefix and local name.
    public init(name: String, value: String) {
        self.name = name
        (prefix, localName) = XMLElement.splitQualifiedName(name)
        self.value = value
    }
}
