// Internal text helpers shared by the SIP, MIME and SDP parsers.
// Everything here is total: it returns nil or an empty result rather than trapping.

let byteLF: UInt8 = 0x0A
let byteCR: UInt8 = 0x0D
let byteSP: UInt8 = 0x20
let byteHT: UInt8 = 0x09

extension Substring {
    /// The text without leading or trailing SP/HTAB (SIP's LWS once lines are unfolded).
    var trimmingSIPWhitespace: Substring {
        var s = self
        while let first = s.first, first == " " || first == "\t" { s = s.dropFirst() }
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return s
    }
}

extension String {
    /// The text without leading or trailing SP/HTAB.
    var trimmingSIPWhitespace: Substring { self[...].trimmingSIPWhitespace }
}

extension StringProtocol {
    /// ASCII-only lowercasing: header names and tokens are ASCII, and this avoids
    /// locale or Unicode case-mapping surprises in comparisons.
    var asciiLowercased: String {
        String(decoding: utf8.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}

/// Parses an unsigned decimal made only of ASCII digits, refusing values above `max`.
///
/// Accumulation stops as soon as the value exceeds `max`, so hostile inputs such as
/// a 5000-digit Content-Length never overflow. `max` must be below `Int.max / 10`.
func parseBoundedDecimal<S: StringProtocol>(_ text: S, max: Int) -> Int? {
    guard !text.isEmpty else { return nil }
    var value = 0
    for byte in text.utf8 {
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
        if value > max { return nil }
    }
    return value
}

/// Splits `text` on `separator` wherever it is outside a quoted string (with
/// backslash escapes) and, optionally, outside `<...>`.
///
/// This is how SIP header lists and parameter lists must be split: a display name
/// such as `"Smith, John"` or a URI parameter inside `<...>` must stay in one piece.
func splitOutsideQuotes(_ text: Substring, separator: Character, respectAngleBrackets: Bool) -> [Substring] {
    var pieces: [Substring] = []
    var inQuotes = false
    var escaped = false
    var angleDepth = 0
    var pieceStart = text.startIndex
    var index = text.startIndex
    while index < text.endIndex {
        let character = text[index]
        if inQuotes {
            if escaped { escaped = false }
            else if character == "\\" { escaped = true }
            else if character == "\"" { inQuotes = false }
        } else if character == "\"" {
            inQuotes = true
        } else if respectAngleBrackets && character == "<" {
            angleDepth += 1
        } else if respectAngleBrackets && character == ">" && angleDepth > 0 {
            angleDepth -= 1
        } else if character == separator && angleDepth == 0 {
            pieces.append(text[pieceStart..<index])
            pieceStart = text.index(after: index)
        }
        index = text.index(after: index)
    }
    pieces.append(text[pieceStart..<text.endIndex])
    return pieces
}

/// Removes one level of double quotes and backslash escapes, if the text is quoted.
func unquoted(_ text: Substring) -> String {
    guard text.count >= 2, text.first == "\"", text.last == "\"" else { return String(text) }
    var result = ""
    var escaped = false
    for character in text.dropFirst().dropLast() {
        if escaped { result.append(character); escaped = false }
        else if character == "\\" { escaped = true }
        else { result.append(character) }
    }
    return result
}

/// Wraps text in double quotes, escaping `"` and `\` (RFC 3261 quoted-pair).
func quoted(_ text: String) -> String {
    var result = "\""
    for character in text {
        if character == "\"" || character == "\\" { result.append("\\") }
        result.append(character)
    }
    result.append("\"")
    return result
}

/// True for RFC 3261 `token` characters (method names, parameter names, transports).
func isTokenCharacter(_ character: Character) -> Bool {
    guard let ascii = character.asciiValue else { return false }
    switch ascii {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
    default: return "-.!%*_+`'~".utf8.contains(ascii)
    }
}

/// True when `text` is a non-empty RFC 3261 token.
func isToken<S: StringProtocol>(_ text: S) -> Bool {
    !text.isEmpty && text.allSatisfy(isTokenCharacter)
}

/// Splits bytes into lines at LF, dropping one trailing CR per line, so CRLF and
/// bare-LF inputs look the same to the parsers. (Done on bytes because Swift's
/// `Character` treats "\r\n" as a single grapheme.)
func byteLines(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
    var lines: [ArraySlice<UInt8>] = []
    var lineStart = bytes.startIndex
    var index = bytes.startIndex
    while index < bytes.endIndex {
        if bytes[index] == byteLF {
            lines.append(stripTrailingCR(bytes[lineStart..<index]))
            lineStart = index + 1
        }
        index += 1
    }
    if lineStart < bytes.endIndex { lines.append(stripTrailingCR(bytes[lineStart..<bytes.endIndex])) }
    return lines
}

/// The slice without one trailing CR.
func stripTrailingCR(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    if let last = line.last, last == byteCR { return line.dropLast() }
    return line
}

/// Finds the blank line that ends a header block.
///
/// Returns the index where the blank line starts (end of the headers) and the index
/// just after it (start of the body). Accepts CRLF and bare LF line ends.
func findHeaderBlockEnd(_ bytes: ArraySlice<UInt8>, from start: Int) -> (headersEnd: Int, bodyStart: Int)? {
    var index = max(start, bytes.startIndex)
    while index < bytes.endIndex {
        if bytes[index] == byteLF {
            let next = index + 1
            if next < bytes.endIndex, bytes[next] == byteLF { return (next, next + 1) }
            if next + 1 < bytes.endIndex, bytes[next] == byteCR, bytes[next + 1] == byteLF {
                return (next, next + 2)
            }
        }
        index += 1
    }
    return nil
}
