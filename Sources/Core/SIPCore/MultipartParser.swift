/// Splits multipart bodies (RFC 2046 §5.1).
public enum MultipartParser {
    /// Upper bound on parts, so a body made of nothing but boundaries stays cheap.
    public static let maxParts = 64

    /// Splits `body` into parts using `boundary` (the Content-Type parameter, unquoted).
    ///
    /// Accepts CRLF or LF line ends, a preamble and epilogue, transport padding
    /// (spaces or tabs after a boundary line), and a missing closing boundary (the
    /// last part then runs to the end of the body). A part body keeps its bytes
    /// exactly, minus the line break that belongs to the following boundary.
    /// Errors: empty boundary, no boundary line, a part without the blank line
    /// separating headers from body, a malformed part header, too many parts.
    public static func parse(_ body: [UInt8], boundary: String) throws(SIPParseError) -> [MIMEPart] {
        var repairs: [String] = []
        return try parse(body, boundary: boundary, repairs: &repairs)
    }

    /// Splits `body` as ``parse(_:boundary:)`` does, and also reads what SRCs get slightly wrong, saying
    /// so in `repairs`: a boundary parameter that is missing or that no line of the body uses (the
    /// body's own first `--…` line is taken), a missing closing boundary, and empty parts between stray
    /// boundary lines (skipped).
    public static func parse(_ body: [UInt8], boundary: String?, repairs: inout [String]) throws(SIPParseError) -> [MIMEPart] {
        let boundary = boundary.flatMap { $0.isEmpty ? nil : $0 }
        if let boundary, boundary.utf8.count > 200 {
            throw SIPParseError(.invalidMultipart, "multipart boundary \"\(boundary.prefix(40))\" is too long")
        }
        var lines = boundary.map { delimiterLines(in: body[...], delimiter: Array("--\($0)".utf8)) } ?? []
        if lines.isEmpty, let found = sniffBoundary(body) {
            repairs.append(boundary.map { "no line of the multipart body uses the boundary \"\($0.prefix(60))\" of its Content-Type; the body's own \"--\(found.prefix(60))\" was used" }
                ?? "the multipart Content-Type has no boundary; the body's own \"--\(found.prefix(60))\" was used")
            lines = delimiterLines(in: body[...], delimiter: Array("--\(found)".utf8))
        }
        guard let first = lines.first else {
            throw SIPParseError(.invalidMultipart, "multipart body has no \"--\((boundary ?? "").prefix(60))\" boundary line")
        }
        var parts: [MIMEPart] = []
        var contentStart = first.nextLineStart
        guard !first.isClosing else { return [] }
        var empty = 0
        for line in lines.dropFirst() {
            // max(): two adjacent boundary lines give an empty part, not an inverted range.
            let contentEnd = max(contentStart, trimmingLineBreak(body, before: line.start))
            if isBlank(body[contentStart..<contentEnd]) { empty += 1 } else { try appendPart(body[contentStart..<contentEnd], to: &parts) }
            if line.isClosing {
                if empty > 0 { repairs.append("\(empty) empty multipart part\(empty == 1 ? "" : "s") between stray boundary lines skipped") }
                return parts
            }
            contentStart = line.nextLineStart
        }
        if empty > 0 { repairs.append("\(empty) empty multipart part\(empty == 1 ? "" : "s") between stray boundary lines skipped") }
        // No closing boundary: take the final part if it has anything in it.
        let tail = body[contentStart...]
        if !isBlank(tail) { try appendPart(tail, to: &parts) }
        repairs.append("the multipart body has no closing boundary")
        return parts
    }

    /// Only line breaks and spaces.
    private static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.contains(where: { $0 != byteCR && $0 != byteLF && $0 != byteSP && $0 != byteHT })
    }

    /// The boundary of the body's first line that starts with `--` (and has something after it).
    static func sniffBoundary(_ body: [UInt8]) -> String? {
        var lineStart = body.startIndex
        while lineStart < body.endIndex {
            let lineEnd = body[lineStart...].firstIndex(of: byteLF) ?? body.endIndex
            var line = stripTrailingCR(body[lineStart..<lineEnd])
            while let last = line.last, last == byteSP || last == byteHT { line = line.dropLast() }
            if line.starts(with: [0x2D, 0x2D]), line.count > 2 {
                var name = line.dropFirst(2)
                if name.count > 2, name.suffix(2).elementsEqual([0x2D, 0x2D]) { name = name.dropLast(2) }
                guard name.count <= 200, !name.contains(byteSP) else { return nil }
                return String(decoding: name, as: UTF8.self)
            }
            lineStart = lineEnd + 1
        }
        return nil
    }

    private static func appendPart(_ content: ArraySlice<UInt8>, to parts: inout [MIMEPart]) throws(SIPParseError) {
        guard parts.count < maxParts else {
            throw SIPParseError(.invalidMultipart, "multipart body has more than \(maxParts) parts")
        }
        parts.append(try parsePart(content, number: parts.count + 1))
    }

    /// Parses one part: headers, blank line, body. A part that starts with the
    /// blank line has no headers, which RFC 2046 allows.
    static func parsePart(_ content: ArraySlice<UInt8>, number: Int) throws(SIPParseError) -> MIMEPart {
        if content.first == byteLF {
            return MIMEPart(headers: [], body: Array(content.dropFirst()))
        }
        if content.count >= 2, content.first == byteCR, content[content.startIndex + 1] == byteLF {
            return MIMEPart(headers: [], body: Array(content.dropFirst(2)))
        }
        guard let end = findHeaderBlockEnd(content, from: content.startIndex) else {
            throw SIPParseError(.invalidMultipart, "multipart part \(number) has no blank line between headers and body")
        }
        let headers: [SIPHeader]
        do {
            headers = try HeaderBlockParser.parse(byteLines(content[content.startIndex..<end.headersEnd]))
        } catch {
            throw SIPParseError(.invalidMultipart, "multipart part \(number): \(error.message)")
        }
        return MIMEPart(headers: headers, body: Array(content[end.bodyStart...]))
    }
}

extension MultipartParser {
    /// A boundary line: where it starts, where the next line starts, and whether it closes.
    struct DelimiterLine {
        var start: Int
        var nextLineStart: Int
        var isClosing: Bool
    }

    /// Finds every line that is `--boundary` or `--boundary--` followed only by
    /// transport padding. A line like `--boundaryX` is content, not a delimiter.
    static func delimiterLines(in body: ArraySlice<UInt8>, delimiter: [UInt8]) -> [DelimiterLine] {
        var found: [DelimiterLine] = []
        var lineStart = body.startIndex
        while lineStart < body.endIndex {
            let lineEnd = body[lineStart...].firstIndex(of: byteLF) ?? body.endIndex
            let line = stripTrailingCR(body[lineStart..<lineEnd])
            if line.starts(with: delimiter) {
                var rest = line.dropFirst(delimiter.count)
                let closing = rest.starts(with: [0x2D, 0x2D])
                if closing { rest = rest.dropFirst(2) }
                if rest.allSatisfy({ $0 == byteSP || $0 == byteHT }) {
                    found.append(DelimiterLine(start: lineStart, nextLineStart: min(lineEnd + 1, body.endIndex), isClosing: closing))
                    if closing { break }
                }
            }
            lineStart = lineEnd + 1
        }
        return found
    }

    /// The index before the CRLF (or LF) that precedes a delimiter line: that
    /// line break is part of the delimiter, not of the part body (RFC 2046 §5.1.1).
    static func trimmingLineBreak(_ body: [UInt8], before index: Int) -> Int {
        var end = index
        if end > 0, body[end - 1] == byteLF {
            end -= 1
            if end > 0, body[end - 1] == byteCR { end -= 1 }
        }
        return end
    }
}
