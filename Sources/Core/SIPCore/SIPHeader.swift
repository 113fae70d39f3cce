/// One header line of a SIP message or MIME part, after unfolding.
public struct SIPHeader: Sendable, Equatable {
    /// The name exactly as received (or as given by the caller), e.g. `Via` or `v`.
    public var name: String
    /// The value with surrounding whitespace removed and folded lines joined by one space.
    public var value: String

    /// Creates a header.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension SIPHeader {
    /// RFC 3261 §7.3.3 compact forms plus those registered later (RFC 3265, 3515,
    /// 4028, 3892), keyed by the one-letter form, valued by the lowercased full name.
    static let compactForms: [String: String] = [
        "i": "call-id", "f": "from", "t": "to", "v": "via", "m": "contact",
        "l": "content-length", "c": "content-type", "k": "supported", "s": "subject",
        "e": "content-encoding", "o": "event", "r": "refer-to", "u": "allow-events",
        "x": "session-expires", "b": "referred-by",
    ]

    /// The lowercased long form of a header name, so `v`, `VIA` and `Via` compare equal.
    static func canonicalName(_ name: String) -> String {
        let lowered = String(name.trimmingSIPWhitespace).asciiLowercased
        return compactForms[lowered] ?? lowered
    }

    /// True when this header's name is `name`, ignoring case and compact forms.
    func hasName(_ canonical: String) -> Bool {
        SIPHeader.canonicalName(name) == canonical
    }
}

/// Parses header lines (already split, start line excluded) into headers,
/// joining continuation lines that begin with SP or HTAB (RFC 3261 §7.3.1).
enum HeaderBlockParser {
    static func parse(_ lines: [ArraySlice<UInt8>]) throws(SIPParseError) -> [SIPHeader] {
        var headers: [SIPHeader] = []
        for line in lines where !line.isEmpty {
            if let first = line.first, first == byteSP || first == byteHT {
                // A continuation belongs to the previous header; one without a
                // predecessor would otherwise silently attach to the start line.
                guard !headers.isEmpty else {
                    throw SIPParseError(.invalidHeader, "continuation line \"\(preview(line))\" has no header to continue")
                }
                let more = String(decoding: line, as: UTF8.self).trimmingSIPWhitespace
                if !more.isEmpty {
                    let previous = headers[headers.count - 1].value
                    headers[headers.count - 1].value = previous.isEmpty ? String(more) : previous + " " + more
                }
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw SIPParseError(.invalidHeader, "header line \"\(preview(line))\" has no colon")
            }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).trimmingSIPWhitespace
            guard isToken(name) else {
                throw SIPParseError(.invalidHeader, "header line \"\(preview(line))\" has an invalid name")
            }
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSIPWhitespace
            headers.append(SIPHeader(name: String(name), value: String(value)))
        }
        return headers
    }

    /// The start of a line for error messages, bounded so a hostile 60 kB line
    /// does not end up in the log.
    static func preview(_ line: ArraySlice<UInt8>) -> String {
        let text = String(decoding: line.prefix(60), as: UTF8.self)
        return line.count > 60 ? text + "…" : text
    }
}
