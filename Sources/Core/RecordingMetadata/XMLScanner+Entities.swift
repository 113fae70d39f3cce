/// Entity and character-reference decoding, plus XML line-end normalisation.
extension XMLScanner {
    /// Appends `bytes[from..<to]` to `output`, decoding `&...;` references and turning CRLF
    /// and lone CR into LF (XML 1.0 §2.11), so values never depend on the sender's line ends.
    ///
    /// A `&` that starts no valid entity or character reference is kept as literal text (Cisco CUBE
    /// writes `<name>DENVER CITY&CNT</name>`): the document is repaired, not dropped. `bareAmpersand`
    /// gets the offset of the first such `&`; no reference is ever expanded beyond the five predefined
    /// entities and character references.
    func decodeReferences(from: Int, to: Int, into output: inout [UInt8], bareAmpersand: inout Int?) {
        var position = from
        while position < to {
            let byte = bytes[position]
            if byte == UInt8(ascii: "&") {
                if let next = decodeReference(at: position, limit: to, into: &output) {
                    position = next
                } else {
                    if bareAmpersand == nil { bareAmpersand = position }
                    output.append(byte)
                    position += 1
                }
            } else if byte == 0x0D {
                output.append(0x0A)
                position += (position + 1 < to && bytes[position + 1] == 0x0A) ? 2 : 1
            } else {
                output.append(byte)
                position += 1
            }
        }
    }

    /// Decodes the reference starting at `start` (an `&`); returns the offset after its `;`, or nil
    /// when the `&` starts no valid reference.
    private func decodeReference(at start: Int, limit: Int, into output: inout [UInt8]) -> Int? {
        // Longest legal reference we accept is "&#x10FFFF;"; anything longer is not a reference.
        var end = start + 1
        while end < limit, end - start <= 10, bytes[end] != UInt8(ascii: ";") { end += 1 }
        guard end < limit, bytes[end] == UInt8(ascii: ";") else { return nil }
        let body = Array(bytes[(start + 1)..<end])
        let text = String(decoding: body, as: UTF8.self)
        switch text {
        case "lt": output.append(UInt8(ascii: "<"))
        case "gt": output.append(UInt8(ascii: ">"))
        case "amp": output.append(UInt8(ascii: "&"))
        case "quot": output.append(UInt8(ascii: "\""))
        case "apos": output.append(UInt8(ascii: "'"))
        default:
            guard let scalar = Self.characterReference(text) else { return nil }
            output.append(contentsOf: String(Character(scalar)).utf8)
        }
        return end + 1
    }

    /// `#NN` / `#xHH` to a scalar; `nil` for anything XML does not allow as a character.
    private static func characterReference(_ text: String) -> Unicode.Scalar? {
        guard text.hasPrefix("#") else { return nil }
        var digits = text.dropFirst()
        var radix = 10
        if digits.hasPrefix("x") || digits.hasPrefix("X") {
            digits = digits.dropFirst()
            radix = 16
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isHexDigit && (radix == 16 || $0.isWholeNumber) }),
              let value = UInt32(digits, radix: radix),
              let scalar = Unicode.Scalar(value) else { return nil }
        // XML 1.0 Char: tab, LF, CR, and everything from space up (surrogates already excluded).
        let allowed = value == 0x09 || value == 0x0A || value == 0x0D || (value >= 0x20 && value != 0xFFFE && value != 0xFFFF)
        return allowed ? scalar : nil
    }
}
