/// Byte-level cursor behind ``XMLDocument/parse(_:limits:)``.
///
/// Iterative (an explicit element stack, no recursion) so hostile nesting cannot exhaust
/// the call stack; the depth limit then bounds memory.
struct XMLScanner {
    let bytes: [UInt8]
    let limits: XMLDocument.Limits
    var index = 0
    var elementCount = 0
    /// Open elements, innermost last; `starts` holds each one's start-tag byte offset.
    var stack: [XMLElement] = []
    var starts: [Int] = []
    /// Decoded text bytes collected for each open element, parallel to `stack`.
    var textBuffers: [[UInt8]] = []
    /// Line bookkeeping for element start tags: the line number at byte `lineOffset`.
    /// Start tags arrive in increasing offset order, so counting forward from the last one
    /// keeps line numbering linear instead of rescanning from byte 0 for every element.
    var lineOffset = 0
    var lineNumber = 1
    /// What was repaired to read the document, in words (bounded), and how many bare `&` were kept literal.
    var repairs: [String] = []
    var bareAmpersands = 0
    var firstBareAmpersandLine = 0

    init(bytes: [UInt8], limits: XMLDocument.Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func parseDocument() throws(MetadataError) -> XMLElement {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 } // UTF-8 byte-order mark
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "<") else {
            let what = index < bytes.count ? "expected '<'" : "document is empty, expected '<'"
            throw MetadataError(code: .notXML, message: "metadata is not XML: \(what) at byte \(index)")
        }
        var root: XMLElement?
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                try scanText(afterRoot: root != nil)
                continue
            }
            if hasPrefix("<!--") {
                try skipComment()
            } else if hasPrefix("<![CDATA[") {
                try scanCDATA()
            } else if hasPrefix("<!") {
                try rejectDeclaration()
            } else if hasPrefix("<?") {
                try skipProcessingInstruction()
            } else if hasPrefix("</") {
                if let closed = try scanEndTag() { root = closed }
            } else {
                guard root == nil else {
                    throw error(.malformed, "second root element at line \(line(at: index)); only one is allowed")
                }
                if let closed = try scanStartTag() { root = closed }
            }
        }
        if let open = stack.last, let start = starts.last {
            throw error(.unclosedElement, "unclosed element <\(open.name)> at line \(line(at: start))")
        }
        guard let root else {
            throw error(.notXML, "metadata is not XML: no root element found")
        }
        if bareAmpersands == 1 {
            repairs.append("a '&' that starts no entity or character reference (line \(firstBareAmpersandLine)) was read as text")
        } else if bareAmpersands > 1 {
            repairs.append("\(bareAmpersands) '&' that start no entity or character reference (the first at line \(firstBareAmpersandLine)) were read as text")
        }
        return root
    }

    // MARK: - Helpers shared by the markup scanners

    /// A `&` that starts no entity was kept as text: remembered for the document's repairs.
    mutating func noteBareAmpersand(at offset: Int) {
        bareAmpersands += 1
        if bareAmpersands == 1 { firstBareAmpersandLine = line(at: offset) }
    }

    func error(_ code: MetadataError.Code, _ message: String) -> MetadataError {
        MetadataError(code: code, message: message)
    }

    /// 1-based line of a byte offset; computed only when reporting, so parsing stays cheap.
    func line(at offset: Int) -> Int {
        var line = 1
        for byte in bytes[..<min(offset, bytes.count)] where byte == UInt8(ascii: "\n") { line += 1 }
        return line
    }

    /// Like ``line(at:)`` but amortised O(1) for increasing offsets.
    mutating func advanceLine(to offset: Int) -> Int {
        guard offset >= lineOffset else { return line(at: offset) }
        for byte in bytes[lineOffset..<min(offset, bytes.count)] where byte == UInt8(ascii: "\n") { lineNumber += 1 }
        lineOffset = offset
        return lineNumber
    }

    func hasPrefix(_ literal: String) -> Bool {
        var position = index
        for byte in literal.utf8 {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
        }
        return true
    }

    /// Offset of the first occurrence of `terminator` at or after `from`, or `nil`.
    func find(_ terminator: String, from: Int) -> Int? {
        let needle = Array(terminator.utf8)
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var position = from
        while position <= bytes.count - needle.count {
            if bytes[position] == first, bytes[position..<position + needle.count].elementsEqual(needle) {
                return position
            }
            position += 1
        }
        return nil
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    mutating func skipWhitespace() {
        while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
    }
}
