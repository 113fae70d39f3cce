extension SDPSession {
    /// Parses an SDP body. CRLF or LF line ends; blank lines, lines that are not
    /// `x=value`, and line types that are not needed (`b=`, `i=`, `k=`, …) are skipped.
    ///
    /// Errors rather than guesses on: a body not starting with `v=`, malformed
    /// `o=`/`c=`/`m=` lines, out-of-range ports, more than
    /// ``maxMediaDescriptions`` m-lines, or more than 64 kB.
    public static func parse(_ bytes: [UInt8]) throws(SIPParseError) -> SDPSession {
        guard bytes.count <= SIPParser.maxMessageSize else {
            throw SIPParseError(.invalidSDP, "SDP of \(bytes.count) bytes exceeds the \(SIPParser.maxMessageSize)-byte limit")
        }
        var session = SDPSession()
        var sawVersion = false
        var sawTiming = false
        for rawLine in byteLines(bytes[...]) {
            let line = String(decoding: rawLine, as: UTF8.self).trimmingSIPWhitespace
            if line.isEmpty { continue }
            // Lines that are not `x=value` are skipped, not fatal: losing a
            // recording over a stray vendor line would be worse than ignoring it.
            guard line.utf8.count >= 2, let kind = line.first, line.dropFirst().first == "=" else {
                if !sawVersion { throw SIPParseError(.invalidSDP, "SDP must start with v=0, found \"\(line.prefix(60))\"") }
                continue
            }
            let value = line.dropFirst(2)
            if !sawVersion {
                guard kind == "v", let version = parseBoundedDecimal(value, max: 9) else {
                    throw SIPParseError(.invalidSDP, "SDP must start with v=0, found \"\(line.prefix(60))\"")
                }
                session.version = version
                sawVersion = true
                continue
            }
            try session.apply(kind: kind, value: value, sawTiming: &sawTiming)
        }
        guard sawVersion else { throw SIPParseError(.invalidSDP, "SDP body is empty") }
        return session
    }

    /// Applies one line after `v=`; `a=` and `c=` go to the latest m-line if any.
    private mutating func apply(kind: Character, value: Substring, sawTiming: inout Bool) throws(SIPParseError) {
        switch kind {
        case "o":
            guard let origin = SDPOrigin(parsing: value) else {
                throw SIPParseError(.invalidSDP, "o= line \"\(value.prefix(60))\" needs six fields")
            }
            self.origin = origin
        case "s":
            sessionName = value.isEmpty ? "-" : String(value)
        case "t":
            if !sawTiming { timing = String(value) }
            sawTiming = true
        case "c":
            guard let connection = SDPConnection(parsing: value) else {
                throw SIPParseError(.invalidSDP, "c= line \"\(value.prefix(60))\" needs three fields")
            }
            if media.isEmpty { self.connection = connection } else { media[media.count - 1].connection = connection }
        case "a":
            let attribute = SDPAttribute(parsing: value)
            if media.isEmpty { attributes.append(attribute) } else { media[media.count - 1].attributes.append(attribute) }
        case "m":
            guard media.count < SDPSession.maxMediaDescriptions else {
                throw SIPParseError(.invalidSDP, "SDP has more than \(SDPSession.maxMediaDescriptions) m= lines")
            }
            media.append(try SDPMedia(parsing: value))
        default:
            break
        }
    }
}
