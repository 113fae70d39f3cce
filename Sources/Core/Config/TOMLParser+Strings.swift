/// The four TOML string forms and escape sequences.
extension TOMLParser {
    /// Parses `"..."` with escapes; must end on the same line.
    mutating func parseBasicString() throws(TOMLError) -> String {
        index += 1
        var result: [UInt8] = []
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") else {
                throw error("unterminated string: expected '\"' before end of line")
            }
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: result, as: UTF8.self)
            case UInt8(ascii: "\\"): try parseEscape(into: &result)
            default:
                if Self.isForbiddenControl(byte) { throw error("control character U+\(Self.hex(byte)) in string; use an escape") }
                result.append(byte)
            }
        }
    }

    /// Parses `'...'` verbatim; must end on the same line.
    mutating func parseLiteralString() throws(TOMLError) -> String {
        index += 1
        let start = index
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") else {
                throw error("unterminated literal string: expected \"'\" before end of line")
            }
            if byte == UInt8(ascii: "'") {
                index += 1
                return String(decoding: bytes[start..<index - 1], as: UTF8.self)
            }
            if Self.isForbiddenControl(byte) { throw error("control character U+\(Self.hex(byte)) in literal string") }
            index += 1
        }
    }

    /// Parses `"""..."""`: a newline right after the opening quotes is dropped and a backslash
    /// at the end of a line removes the line break and the whitespace that follows.
    mutating func parseMultilineBasicString() throws(TOMLError) -> String {
        let startLine = line
        index += 3
        try skipLeadingNewline()
        var result: [UInt8] = []
        while true {
            guard let byte = peek() else { throw TOMLError(line: startLine, message: "multi-line string starting on this line is never closed") }
            if byte == UInt8(ascii: "\"") && hasPrefix("\"\"\"") {
                try closeMultiline(quote: byte, into: &result)
                return String(decoding: result, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                try consumeNewline()
                result.append(UInt8(ascii: "\n"))
                continue
            }
            index += 1
            if byte == UInt8(ascii: "\\") {
                if try skipLineEndingBackslash() { continue }
                try parseEscape(into: &result)
            } else if Self.isForbiddenControl(byte) {
                throw error("control character U+\(Self.hex(byte)) in string; use an escape")
            } else {
                result.append(byte)
            }
        }
    }

    /// Parses `'''...'''` verbatim (a newline right after the opening quotes is dropped).
    mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
        let startLine = line
        index += 3
        try skipLeadingNewline()
        var result: [UInt8] = []
        while true {
            guard let byte = peek() else { throw TOMLError(line: startLine, message: "multi-line literal string starting on this line is never closed") }
            if byte == UInt8(ascii: "'") && hasPrefix("'''") {
                try closeMultiline(quote: byte, into: &result)
                return String(decoding: result, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                try consumeNewline()
                result.append(UInt8(ascii: "\n"))
                continue
            }
            if Self.isForbiddenControl(byte) { throw error("control character U+\(Self.hex(byte)) in literal string") }
            result.append(byte)
            index += 1
        }
    }

    private mutating func skipLeadingNewline() throws(TOMLError) {
        if peek() == UInt8(ascii: "\n") || (peek() == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n")) {
            try consumeNewline()
        }
    }

    /// At the closing three quotes; up to two more quotes right before them belong to the content.
    private mutating func closeMultiline(quote: UInt8, into result: inout [UInt8]) throws(TOMLError) {
        var run = 0
        while peek(run) == quote { run += 1 }
        guard run <= 5 else { throw error("too many quotes at the end of a multi-line string") }
        result.append(contentsOf: repeatElement(quote, count: run - 3))
        index += run
    }

    /// After a `\`: if only whitespace follows up to the end of the line, skips it and all
    /// whitespace and newlines after it, and returns true.
    private mutating func skipLineEndingBackslash() throws(TOMLError) -> Bool {
        var probe = index
        while probe < bytes.count, bytes[probe] == UInt8(ascii: " ") || bytes[probe] == UInt8(ascii: "\t") { probe += 1 }
        guard probe < bytes.count, bytes[probe] == UInt8(ascii: "\n") || bytes[probe] == UInt8(ascii: "\r") else { return false }
        index = probe
        while let byte = peek() {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                index += 1
            } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                try consumeNewline()
            } else {
                break
            }
        }
        return true
    }

    /// Parses the escape after a backslash (already consumed) and appends its UTF-8 bytes.
    private mutating func parseEscape(into result: inout [UInt8]) throws(TOMLError) {
        guard let byte = peek() else { throw error("unterminated escape sequence") }
        index += 1
        let simple: UInt8? = switch byte {
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "\""): UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): UInt8(ascii: "\\")
        default: nil
        }
        if let simple {
            result.append(simple)
            return
        }
        guard byte == UInt8(ascii: "u") || byte == UInt8(ascii: "U") else {
            index -= 1
            throw error("invalid escape sequence '\\\(describeNext().dropFirst().dropLast())' in string")
        }
        let length = byte == UInt8(ascii: "u") ? 4 : 8
        guard index + length <= bytes.count,
              let code = UInt32(String(decoding: bytes[index..<index + length], as: UTF8.self), radix: 16),
              bytes[index..<index + length].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }),
              let scalar = Unicode.Scalar(code) else {
            throw error("invalid unicode escape: '\\\(Character(Unicode.Scalar(byte)))' needs \(length) hex digits naming a valid scalar")
        }
        index += length
        result.append(contentsOf: String(Character(scalar)).utf8)
    }
}
