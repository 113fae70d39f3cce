/// The one error this module throws: recording metadata (or the XML carrying it) was rejected.
///
/// `message` is a complete sentence fragment meant for logs and SIP reason phrases, e.g.
/// "unclosed element <participant> at line 12". `code` lets callers branch without
/// string matching.
public struct MetadataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What class of problem was found.
    public enum Code: String, Sendable, Equatable {
        /// The bytes do not start like an XML document at all.
        case notXML
        /// The XML is not well formed (bad tag, bad attribute, stray text, ...).
        case malformed
        /// The document ended while an element was still open.
        case unclosedElement
        /// An end tag does not match the element it closes.
        case mismatchedTag
        /// A `<!DOCTYPE>` was present; refused so no entity expansion can ever happen.
        case doctypeForbidden
        /// A size, nesting-depth, element-count or attribute-count limit was exceeded.
        case limitExceeded
        /// The XML is fine but the root element is not `<recording>`.
        case notRecordingMetadata
    }

    /// What class of problem was found.
    public var code: Code
    /// Human-readable explanation, including a line or byte position when one is known.
    public var message: String

    /// Creates an error with a code and a human-readable message.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
