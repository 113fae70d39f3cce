/// A parsed XML document: just its root element.
///
/// This is a deliberately small, non-validating parser for SIPREC metadata. It decodes the
/// five predefined entities and character references (a `&` that starts neither is kept as text and
/// reported in ``repairs``), treats CDATA as text, skips the XML declaration, comments and processing
/// instructions, and rejects `<!DOCTYPE>` outright so no entity-expansion attack is possible. Every input either parses or throws a
/// ``MetadataError``; nothing traps. Work is bounded by ``Limits``.
public struct XMLDocument: Sendable, Equatable {
    /// Resource bounds applied while parsing untrusted input.
    public struct Limits: Sendable, Equatable {
        /// Largest accepted document, in bytes.
        public var maxBytes: Int
        /// Deepest accepted element nesting (the root is depth 1).
        public var maxDepth: Int
        /// Most elements accepted in one document.
        public var maxElements: Int
        /// Most attributes accepted on one element.
        public var maxAttributes: Int

        /// Creates limits; the defaults are generous for real SIPREC metadata (a few KB).
        public init(maxBytes: Int = 256 * 1024, maxDepth: Int = 64,
                    maxElements: Int = 10_000, maxAttributes: Int = 64) {
            self.maxBytes = maxBytes
            self.maxDepth = maxDepth
            self.maxElements = maxElements
            self.maxAttributes = maxAttributes
        }

        /// The limits used when none are given.
        public static let `default` = Limits()
    }

    /// The document element.
    public var root: XMLElement
    /// What had to be repaired to read it (e.g. a bare `&` kept as text), in words; empty when nothing.
    public var repairs: [String]

    /// Creates a document around an already-built root element.
    public init(root: XMLElement, repairs: [String] = []) {
        self.root = root
        self.repairs = repairs
    }

    /// Parses UTF-8 XML bytes.
    ///
    /// - Throws: ``MetadataError`` describing the first problem, with its line when known.
    public static func parse(_ bytes: [UInt8], limits: Limits = .default) throws(MetadataError) -> XMLDocument {
        guard bytes.count <= limits.maxBytes else {
            throw MetadataError(code: .limitExceeded,
                                message: "metadata is \(bytes.count) bytes, larger than the \(limits.maxBytes)-byte limit")
        }
        var scanner = XMLScanner(bytes: bytes, limits: limits)
        let root = try scanner.parseDocument()
        return XMLDocument(root: root, repairs: scanner.repairs)
    }

    /// Parses XML text.
    public static func parse(_ text: String, limits: Limits = .default) throws(MetadataError) -> XMLDocument {
        try parse(Array(text.utf8), limits: limits)
    }
}
