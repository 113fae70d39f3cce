extension Base64URL {
    /// Decodes base64url text (RFC 4648 §5). Strict: any character outside the URL alphabet, a length
    /// that cannot come from an encoder, misplaced or surplus `=`, or non-zero unused bits in the last
    /// character yields nil, so one byte string has one accepted spelling. Padding may be left off
    /// (as JWTs do); if present it must be correct.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var symbols = Array(text.utf8)
        var padding = 0
        while let last = symbols.last, last == UInt8(ascii: "=") {
            symbols.removeLast()
            padding += 1
        }
        if padding > 0, padding > 2 || (symbols.count + padding) % 4 != 0 { return nil }
        if symbols.count % 4 == 1 { return nil }

        var out: [UInt8] = []
        out.reserveCapacity(symbols.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            guard let value = sextet(symbol) else { return nil }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // Leftover bits (2 or 4) are the tail of the last character; an encoder always leaves them zero.
        guard accumulator == 0 else { return nil }
        return out
    }

    /// The 6-bit value of one URL-alphabet character, or nil.
    @inline(__always)
    static func sextet(_ symbol: UInt8) -> UInt8? {
        switch symbol {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): symbol - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): symbol - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): symbol - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
