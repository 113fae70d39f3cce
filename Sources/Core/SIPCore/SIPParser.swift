/// Parses SIP messages (RFC 3261 §7) from bytes.
///
/// Tolerant of what real equipment sends (bare LF, folded lines, leading CRLFs,
/// missing Content-Length on UDP) and strict about what could desynchronise or
/// exhaust the server (oversized input, Content-Length beyond the data).
public enum SIPParser {
    /// The largest message accepted: the maximum UDP payload, and the default
    /// per-message bound for stream transports.
    public static let maxMessageSize = 65_535

    /// Parses one complete message, such as a UDP datagram.
    ///
    /// Without Content-Length the body is the rest of the datagram (RFC 3261 §18.3
    /// allows this on UDP); with a shorter Content-Length extra bytes are ignored.
    /// Mandatory headers are *not* checked here, so a 400 can still be built from
    /// the result; call ``validateRequest(_:)`` next.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(SIPParseError) -> SIPMessage {
        guard bytes.count <= maxMessageSize else {
            throw SIPParseError(.messageTooLarge, "message of \(bytes.count) bytes exceeds the \(maxMessageSize)-byte limit")
        }
        // Leading CRLFs are keep-alives or padding (RFC 5626 §3.5.1), not a message.
        guard let start = bytes.firstIndex(where: { $0 != byteCR && $0 != byteLF }) else {
            throw SIPParseError(.emptyMessage, "message is empty or contains only line breaks")
        }
        let content = bytes[start...]
        let head = try parseHead(content)
        let available = content.endIndex - head.bodyStart
        guard let declared = try contentLength(of: head.headers) else {
            return SIPMessage(startLine: head.startLine, headers: head.headers, body: Array(content[head.bodyStart...]))
        }
        guard declared <= available else {
            throw SIPParseError(.truncatedBody, "Content-Length \(declared) exceeds the \(available) bytes received")
        }
        let body = Array(content[head.bodyStart..<(head.bodyStart + declared)])
        return SIPMessage(startLine: head.startLine, headers: head.headers, body: body)
    }

    /// Parses one complete message from an array.
    public static func parse(_ bytes: [UInt8]) throws(SIPParseError) -> SIPMessage {
        try parse(bytes[...])
    }

    /// Checks that a request carries the headers RFC 3261 §8.1.1 makes mandatory
    /// (Via, From, To, Call-ID, CSeq) and that CSeq is well formed and names the
    /// request's method. A failure should be answered with 400 Bad Request.
    /// On a response the same headers are checked, without the method match.
    public static func validateRequest(_ message: SIPMessage) throws(SIPParseError) {
        for name in ["Via", "From", "To", "Call-ID", "CSeq"] {
            guard let value = message.header(name), !value.isEmpty else {
                throw SIPParseError(.missingMandatoryHeader, "mandatory header \(name) is missing")
            }
        }
        guard let cseq = message.cseq, let cseqValue = message.header("CSeq") else {
            throw SIPParseError(.missingMandatoryHeader, "CSeq \"\(message.header("CSeq")?.prefix(60) ?? "")\" is malformed")
        }
        if let method = message.method, cseq.method != method {
            throw SIPParseError(.missingMandatoryHeader, "CSeq \"\(cseqValue.prefix(60))\" does not match request method \(method)")
        }
        guard message.from != nil else {
            throw SIPParseError(.missingMandatoryHeader, "From \"\(message.header("From")?.prefix(60) ?? "")\" is malformed")
        }
        guard message.to != nil else {
            throw SIPParseError(.missingMandatoryHeader, "To \"\(message.header("To")?.prefix(60) ?? "")\" is malformed")
        }
        guard !message.via.isEmpty else {
            throw SIPParseError(.missingMandatoryHeader, "Via \"\(message.header("Via")?.prefix(60) ?? "")\" is malformed")
        }
    }
}

extension SIPParser {
    /// Start line, headers and where the body begins.
    struct Head {
        var startLine: SIPStartLine
        var headers: [SIPHeader]
        var bodyStart: Int
    }

    /// Parses the start line and headers. Without a blank line the whole input is
    /// taken as headers and the body is empty (a datagram cut short of its CRLF).
    static func parseHead(_ bytes: ArraySlice<UInt8>) throws(SIPParseError) -> Head {
        let end = findHeaderBlockEnd(bytes, from: bytes.startIndex)
        let headBytes = bytes[bytes.startIndex..<(end?.headersEnd ?? bytes.endIndex)]
        let lines = byteLines(headBytes)
        guard let first = lines.first, !first.isEmpty else {
            throw SIPParseError(.emptyMessage, "message has no start line")
        }
        let startLine = try SIPStartLine.parse(first)
        let headers = try HeaderBlockParser.parse(Array(lines.dropFirst()))
        return Head(startLine: startLine, headers: headers, bodyStart: end?.bodyStart ?? bytes.endIndex)
    }

    /// The declared Content-Length, nil when absent. Several instances must agree:
    /// differing values are a classic request-smuggling vector.
    static func contentLength(of headers: [SIPHeader]) throws(SIPParseError) -> Int? {
        var result: Int?
        for header in headers where header.hasName("content-length") {
            guard let value = parseBoundedDecimal(header.value, max: 999_999_999) else {
                throw SIPParseError(.invalidContentLength, "Content-Length \"\(header.value.prefix(40))\" is not a number")
            }
            if let previous = result, previous != value {
                throw SIPParseError(.invalidContentLength, "Content-Length given twice with different values (\(previous) and \(value))")
            }
            result = value
        }
        return result
    }
}
