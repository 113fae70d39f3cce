/// The single error type of SIPCore: what was wrong with the bytes, in words a
/// log reader can act on.
///
/// `code` is for programs (choosing between a 400 reply and closing a TCP
/// connection); `message` is for people and names the offending value.
public struct SIPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The category of failure.
    public enum Code: String, Sendable, Equatable {
        /// No bytes, or only line breaks.
        case emptyMessage
        /// The message or a header block is larger than the configured limit.
        case messageTooLarge
        /// The request or status line is malformed.
        case invalidStartLine
        /// A header line is malformed (no colon, empty name, stray continuation).
        case invalidHeader
        /// Content-Length is not a number, or instances disagree.
        case invalidContentLength
        /// Content-Length promises more bytes than were received.
        case truncatedBody
        /// A stream-framed message has no Content-Length.
        case missingContentLength
        /// A mandatory header (Via, From, To, Call-ID, CSeq) is absent or unusable.
        case missingMandatoryHeader
        /// A multipart body could not be split.
        case invalidMultipart
        /// An SDP body is malformed or exceeds limits.
        case invalidSDP
    }

    /// The category of failure.
    public var code: Code
    /// A human-readable explanation naming the offending value.
    public var message: String

    /// Creates an error with a category and an explanation.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`, for logs.
    public var description: String { "\(code.rawValue): \(message)" }
}
