/// The first line of a SIP message.
public enum SIPStartLine: Sendable, Equatable {
    /// `METHOD Request-URI SIP/2.0`
    case request(method: String, uri: String)
    /// `SIP/2.0 Status-Code Reason-Phrase`
    case response(statusCode: Int, reason: String)
}

extension SIPStartLine {
    /// Parses a request or status line (without its line break).
    static func parse(_ line: ArraySlice<UInt8>) throws(SIPParseError) -> SIPStartLine {
        let text = String(decoding: line, as: UTF8.self)
        let shown = HeaderBlockParser.preview(line)
        if text.utf8.starts(with: "SIP/".utf8) {
            return try parseStatusLine(text, shown: shown)
        }
        // Request-Line: exactly three space-separated parts (RFC 3261 §7.1).
        // Runs of whitespace are tolerated because some stacks emit them.
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 3 else {
            throw SIPParseError(.invalidStartLine, "start line \"\(shown)\" is neither a request nor a status line")
        }
        guard isToken(parts[0]) else {
            throw SIPParseError(.invalidStartLine, "request method \"\(parts[0].prefix(40))\" is not a token")
        }
        guard parts[2].asciiUppercased == "SIP/2.0" else {
            throw SIPParseError(.invalidStartLine, "unsupported SIP version \"\(parts[2].prefix(40))\" in \"\(shown)\"")
        }
        guard parts[1].contains(":") else {
            throw SIPParseError(.invalidStartLine, "Request-URI \"\(parts[1].prefix(60))\" has no scheme")
        }
        return .request(method: String(parts[0]), uri: String(parts[1]))
    }

    private static func parseStatusLine(_ text: String, shown: String) throws(SIPParseError) -> SIPStartLine {
        // "SIP/2.0 200 OK": the reason phrase may contain spaces or be empty.
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].asciiUppercased == "SIP/2.0" else {
            throw SIPParseError(.invalidStartLine, "status line \"\(shown)\" has an unsupported version")
        }
        guard parts[1].utf8.count == 3, let code = parseBoundedDecimal(parts[1], max: 699), code >= 100 else {
            throw SIPParseError(.invalidStartLine, "status code \"\(parts[1].prefix(20))\" is not in 100-699")
        }
        let reason = parts.count > 2 ? String(parts[2].trimmingSIPWhitespace) : ""
        return .response(statusCode: code, reason: reason)
    }

    /// The line as sent on the wire, without the line break.
    var serialized: String {
        switch self {
        case .request(let method, let uri):
            return "\(method) \(uri) SIP/2.0"
        case .response(let statusCode, let reason):
            return "SIP/2.0 \(statusCode) \(reason)"
        }
    }
}

extension StringProtocol {
    /// ASCII-only uppercasing for protocol tokens.
    var asciiUppercased: String {
        String(decoding: utf8.map { ($0 >= 0x61 && $0 <= 0x7A) ? $0 - 0x20 : $0 }, as: UTF8.self)
    }
}
