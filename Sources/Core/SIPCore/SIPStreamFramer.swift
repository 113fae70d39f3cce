/// Frames SIP messages on a byte stream (TCP, TLS) per RFC 3261 §18.3.
///
/// Feed bytes as they arrive with ``append(_:)`` and call ``next()`` until it
/// returns nil. Content-Length is mandatory on streams; CRLF keep-alives between
/// messages (RFC 5626 §3.5.1) are skipped. Any thrown error means the stream can no
/// longer be framed reliably and the caller should close the connection.
public struct SIPStreamFramer: Sendable {
    /// Upper bound for a header block and for a body.
    public let maxMessageSize: Int

    private var buffer: [UInt8] = []
    /// Bytes before this index have been consumed.
    private var readIndex = 0
    /// Where the search for the end of the current header block resumes, so a
    /// message arriving byte by byte is scanned once, not once per byte.
    private var scanIndex = 0
    /// The parsed head of a message whose body has not fully arrived.
    private var pending: (head: SIPParser.Head, bodyLength: Int)?
    /// CR and LF bytes skipped between messages since the last complete keep-alive ping, and the pings
    /// (a double CRLF, RFC 5626 §3.5.1) not yet taken.
    private var keepAliveBytes = 0
    private var keepAlivePings = 0

    /// Creates a framer with a per-message size bound.
    public init(maxMessageSize: Int = 65_535) {
        self.maxMessageSize = max(1, maxMessageSize)
    }

    /// Number of bytes buffered but not yet returned as a message.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Adds bytes received from the stream.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// Returns the next complete message, or nil when more bytes are needed.
    public mutating func next() throws(SIPParseError) -> SIPMessage? {
        if pending == nil {
            skipKeepAlives()
            guard let head = try takeHead() else { return nil }
            pending = head
        }
        guard let (head, bodyLength) = pending else { return nil }
        let bodyStart = head.bodyStart
        guard buffer.count - bodyStart >= bodyLength else { return nil }
        let message = SIPMessage(startLine: head.startLine, headers: head.headers,
                                 body: Array(buffer[bodyStart..<(bodyStart + bodyLength)]))
        pending = nil
        readIndex = bodyStart + bodyLength
        scanIndex = readIndex
        compact()
        return message
    }

    /// Double-CRLF keep-alive pings seen since the last call (each wants a single CRLF pong).
    public mutating func takeKeepAlivePings() -> Int {
        skipKeepAlives()
        defer { keepAlivePings = 0 }
        return keepAlivePings
    }

    private mutating func skipKeepAlives() {
        guard pending == nil else { return }
        while readIndex < buffer.count, buffer[readIndex] == byteCR || buffer[readIndex] == byteLF {
            keepAliveBytes += 1
            if buffer[readIndex] == byteLF, keepAliveBytes >= 4 {
                keepAlivePings += 1
                keepAliveBytes = 0
            }
            readIndex += 1
        }
        if readIndex < buffer.count { keepAliveBytes = 0 }
        scanIndex = max(scanIndex, readIndex)
        compact()
    }

    /// Finds and parses a complete header block, with its Content-Length.
    private mutating func takeHead() throws(SIPParseError) -> (head: SIPParser.Head, bodyLength: Int)? {
        let unread = buffer[readIndex...]
        // Resume a few bytes back: the blank-line pattern may straddle two appends.
        let resume = max(readIndex, scanIndex - 3)
        guard let end = findHeaderBlockEnd(unread, from: resume) else {
            scanIndex = buffer.count
            if buffer.count - readIndex > maxMessageSize {
                throw SIPParseError(.messageTooLarge, "header block exceeds \(maxMessageSize) bytes without ending")
            }
            return nil
        }
        guard end.bodyStart - readIndex <= maxMessageSize else {
            throw SIPParseError(.messageTooLarge, "header block of \(end.bodyStart - readIndex) bytes exceeds \(maxMessageSize) bytes")
        }
        let head = try SIPParser.parseHead(buffer[readIndex..<end.bodyStart])
        guard let length = try SIPParser.contentLength(of: head.headers) else {
            throw SIPParseError(.missingContentLength, "message on a stream transport has no Content-Length")
        }
        guard length <= maxMessageSize else {
            throw SIPParseError(.messageTooLarge, "Content-Length \(length) exceeds the \(maxMessageSize)-byte limit")
        }
        return (head, length)
    }

    /// Drops consumed bytes once they dominate the buffer, keeping appends amortised O(1).
    private mutating func compact() {
        guard pending == nil, readIndex > 0, readIndex >= buffer.count / 2 || readIndex == buffer.count else { return }
        buffer.removeFirst(readIndex)
        scanIndex -= readIndex
        readIndex = 0
    }
}
