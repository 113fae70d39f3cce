extension SIPMessage {
    /// The message as wire bytes: CRLF line ends, headers in order, and a
    /// Content-Length computed from `body` (any existing Content-Length, long or
    /// compact, is dropped so the two can never disagree).
    ///
    /// CR and LF inside the start line or header values are replaced by spaces:
    /// values may carry text that came from a peer or from configuration, and a
    /// stray line break would let it inject headers.
    public func serialized() -> [UInt8] {
        var text = Self.sanitized(startLine.serialized)
        text += "\r\n"
        for header in headers where !header.hasName("content-length") {
            text += Self.sanitized(header.name)
            text += ": "
            text += Self.sanitized(header.value)
            text += "\r\n"
        }
        text += "Content-Length: \(body.count)\r\n\r\n"
        var bytes = Array(text.utf8)
        bytes.append(contentsOf: body)
        return bytes
    }

    private static func sanitized(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == byteCR || $0 == byteLF }) else { return text }
        return String(decoding: text.utf8.map { ($0 == byteCR || $0 == byteLF) ? byteSP : $0 }, as: UTF8.self)
    }
}
