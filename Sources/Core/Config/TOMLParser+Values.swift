/// Values: dispatch, keywords, arrays and numbers.
extension TOMLParser {
    mutating func parseValue() throws(TOMLError) -> TOMLValue {
        guard let byte = peek() else { throw error("expected a value, found end of file") }
        switch byte {
        case UInt8(ascii: "\""):
            return .string(hasPrefix("\"\"\"") ? try parseMultilineBasicString() : try parseBasicString())
        case UInt8(ascii: "'"):
            return .string(hasPrefix("'''") ? try parseMultilineLiteralString() : try parseLiteralString())
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "{"):
            return try parseInlineTable()
        case UInt8(ascii: "t") where hasKeyword("true"):
            index += 4
            return .bool(true)
        case UInt8(ascii: "f") where hasKeyword("false"):
            index += 5
            return .bool(false)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"),
             UInt8(ascii: "i"), UInt8(ascii: "n"):
            return try parseNumber()
        default:
            throw error("expected a value (string, number, boolean, array or inline table), found \(describeNext())")
        }
    }

    private func hasKeyword(_ word: String) -> Bool {
        guard hasPrefix(word) else { return false }
        guard let after = peek(word.utf8.count) else { return true }
        return !Self.isBareKeyByte(after)
    }

    /// Parses `[ v, v, ... ]`, which may span lines and end with a trailing comma.
    private mutating func parseArray() throws(TOMLError) -> TOMLValue {
        let startLine = line
        index += 1
        var elements: [TOMLValue] = []
        while true {
            try skipWhitespaceCommentsAndNewlines()
            if peek() == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            if peek() == nil { throw TOMLError(line: startLine, message: "array starting on this line is never closed") }
            elements.append(try parseValue())
            try skipWhitespaceCommentsAndNewlines()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            case nil:
                throw TOMLError(line: startLine, message: "array starting on this line is never closed")
            default:
                throw error("expected ',' or ']' in array, found \(describeNext())")
            }
        }
    }

    /// Parses integers (decimal, `0x`, `0o`, `0b`, with `_` separators) and floats (including `inf`, `nan`).
    private mutating func parseNumber() throws(TOMLError) -> TOMLValue {
        let start = index
        while let byte = peek(), Self.isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") {
            index += 1
        }
        let token = String(decoding: bytes[start..<index], as: UTF8.self)
        if peek() == UInt8(ascii: ":") || Self.looksLikeDate(token) {
            throw error("dates and times are not supported in siprecd configuration; quote the value as a string")
        }
        switch token {
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        if let radix = Self.radix(of: token) {
            let digits = token.dropFirst(2)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ Self.isHexDigit($0) || $0 == UInt8(ascii: "_") }),
                  Self.validUnderscores(digits), let value = Int64(digits.filter { $0 != "_" }, radix: radix) else {
                throw error("invalid integer '\(token)'")
            }
            return .integer(value)
        }
        let unsigned = token.first == "+" || token.first == "-" ? token.dropFirst() : token[...]
        if Self.looksLikeRange(token) {
            throw error("'\(token)' is not a number: a range is a string, write it in quotes (\"\(token)\")")
        }
        guard Self.validUnderscores(unsigned), Self.validLeadingZero(unsigned) else {
            throw error("invalid number '\(token)'")
        }
        let cleaned = token.filter { $0 != "_" }
        if token.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            guard Self.isDecimalFloat(cleaned), let value = Double(cleaned) else { throw error("invalid float '\(token)'") }
            return .float(value)
        }
        guard unsigned.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }) else { throw error("invalid number '\(token)'") }
        guard let value = Int64(cleaned) else { throw error("integer '\(token)' is out of range for 64 bits") }
        return .integer(value)
    }

    /// `20000-29999`: two runs of digits joined by one `-` (a port range someone forgot to quote).
    private static func looksLikeRange(_ token: String) -> Bool {
        let parts = token.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    private static func radix(of token: String) -> Int? {
        switch token.prefix(2) {
        case "0x": 16
        case "0o": 8
        case "0b": 2
        default: nil
        }
    }

    private static func looksLikeDate(_ token: String) -> Bool {
        let chars = Array(token.utf8)
        return chars.count >= 5 && chars[..<4].allSatisfy { (0x30...0x39).contains($0) } && chars[4] == UInt8(ascii: "-")
    }

    /// Every `_` must sit between two digits.
    private static func validUnderscores(_ text: Substring) -> Bool {
        let chars = Array(text.utf8)
        for (position, char) in chars.enumerated() where char == UInt8(ascii: "_") {
            guard position > 0, position + 1 < chars.count,
                  isHexDigit(chars[position - 1]), isHexDigit(chars[position + 1]) else { return false }
        }
        return true
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// No leading zeros in the integer part ("0", "0.5" and "0e1" are fine; "01" is not).
    private static func validLeadingZero(_ text: Substring) -> Bool {
        let chars = Array(text.utf8)
        guard chars.count > 1, chars[0] == UInt8(ascii: "0") else { return true }
        return !(0x30...0x39).contains(chars[1]) && chars[1] != UInt8(ascii: "_")
    }

    /// digits ( "." digits )? ( [eE] [+-]? digits )?, with at least one of the optional parts.
    private static func isDecimalFloat(_ text: String) -> Bool {
        var chars = Array(text.utf8)[...]
        if chars.first == UInt8(ascii: "+") || chars.first == UInt8(ascii: "-") { chars = chars.dropFirst() }
        func digits() -> Bool {
            let count = chars.prefix { (0x30...0x39).contains($0) }.count
            chars = chars.dropFirst(count)
            return count > 0
        }
        guard digits() else { return false }
        if chars.first == UInt8(ascii: ".") {
            chars = chars.dropFirst()
            guard digits() else { return false }
        }
        if chars.first == UInt8(ascii: "e") || chars.first == UInt8(ascii: "E") {
            chars = chars.dropFirst()
            if chars.first == UInt8(ascii: "+") || chars.first == UInt8(ascii: "-") { chars = chars.dropFirst() }
            guard digits() else { return false }
        }
        return chars.isEmpty
    }
}
