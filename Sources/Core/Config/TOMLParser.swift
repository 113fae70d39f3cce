/// A TOML 1.0 parser covering what siprecd's configuration uses: comments, bare, quoted and
/// dotted keys, all four string forms, integers, floats, booleans, arrays, inline tables,
/// `[tables]` and `[[arrays of tables]]`. Dates and times are rejected with a clear error.
///
/// Works on the UTF-8 bytes of the document; every error carries the 1-based line.
public struct TOMLParser {
    var bytes: [UInt8]
    var index = 0
    var line = 1
    private var builder = TOMLTreeBuilder()
    private var currentTable: [String] = []

    private init(_ text: String) {
        bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// Parses a whole document into its root table.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var parser = TOMLParser(text)
        try parser.parseDocument()
        return parser.builder.root
    }

    private mutating func parseDocument() throws(TOMLError) {
        while true {
            skipWhitespace()
            guard let byte = peek() else { return }
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
            case UInt8(ascii: "#"):
                try skipComment()
            case UInt8(ascii: "["):
                try parseHeader()
                try expectEndOfLine(after: "table header")
            default:
                let keyLine = line
                let keys = try parseKey()
                try parseAssignment(keys: keys, line: keyLine)
                try expectEndOfLine(after: "value of key '\(TOMLTreeBuilder.display(keys))'")
            }
        }
    }

    /// Parses `= value` after `keys` and stores it in the current table.
    private mutating func parseAssignment(keys: [String], line keyLine: Int) throws(TOMLError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "=") else {
            throw error("expected '=' after key '\(TOMLTreeBuilder.display(keys))', found \(describeNext())")
        }
        index += 1
        skipWhitespace()
        let value = try parseValue()
        try builder.assign(keys, value, in: currentTable, line: keyLine)
    }

    /// Parses `[a.b]` or `[[a.b]]`.
    private mutating func parseHeader() throws(TOMLError) {
        let headerLine = line
        index += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { index += 1 }
        let path = try parseKey()
        skipWhitespace()
        let closing = isArray ? "]]" : "]"
        for byte in closing.utf8 {
            guard peek() == byte else {
                throw error("expected '\(closing)' to close table header [\(TOMLTreeBuilder.display(path))], found \(describeNext())")
            }
            index += 1
        }
        if isArray {
            try builder.appendTableArrayElement(path, line: headerLine)
        } else {
            try builder.defineTable(path, line: headerLine)
        }
        currentTable = path
    }

    /// Parses a possibly dotted key: `a`, `"quoted key"`, `'literal'`, `a."b c".d`.
    mutating func parseKey() throws(TOMLError) -> [String] {
        var parts: [String] = []
        while true {
            skipWhitespace()
            parts.append(try parseSimpleKey())
            skipWhitespace()
            guard peek() == UInt8(ascii: ".") else { return parts }
            index += 1
        }
    }

    private mutating func parseSimpleKey() throws(TOMLError) -> String {
        switch peek() {
        case UInt8(ascii: "\""):
            return try parseBasicString()
        case UInt8(ascii: "'"):
            return try parseLiteralString()
        default:
            let start = index
            while let byte = peek(), Self.isBareKeyByte(byte) { index += 1 }
            guard index > start else { throw error("expected a key, found \(describeNext())") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }

    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    /// Parses `{ key = value, ... }` (single line, no trailing comma, as TOML 1.0 requires).
    mutating func parseInlineTable() throws(TOMLError) -> TOMLValue {
        index += 1
        var inline = TOMLTreeBuilder()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .table(inline.root)
        }
        while true {
            let keys = try parseKey()
            skipWhitespace()
            guard peek() == UInt8(ascii: "=") else {
                throw error("expected '=' after key '\(TOMLTreeBuilder.display(keys))' in inline table, found \(describeNext())")
            }
            index += 1
            skipWhitespace()
            try inline.assign(keys, try parseValue(), in: [], line: line)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "}") { throw error("trailing comma is not allowed in an inline table") }
            case UInt8(ascii: "}"):
                index += 1
                return .table(inline.root)
            default:
                throw error("expected ',' or '}' in inline table (which must fit on one line), found \(describeNext())")
            }
        }
    }
}
