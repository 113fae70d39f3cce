/// `[keys]`: AES-256 keys by name, each the base64 of 32 bytes. STORERECORDING's `encryptionKey` names one.
public enum KeySettings {
    /// Standard base64 (RFC 4648 §4, padding optional); nil for anything else.
    public static func decodeBase64(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for byte in text.utf8 where byte != UInt8(ascii: "=") {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): values.append(byte - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): values.append(byte - 71)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(byte + 4)
            case UInt8(ascii: "+"): values.append(62)
            case UInt8(ascii: "/"): values.append(63)
            default: return nil
            }
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            let v = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(18 - 6 * $1.offset) }
            for n in 0..<(chunk.count - 1) { out.append(UInt8((v >> UInt32(16 - 8 * n)) & 0xFF)) }
            index += 4
        }
        return out
    }

    static func parse(_ reader: SectionReader) throws(ConfigError) -> [String: [UInt8]] {
        var keys: [String: [UInt8]] = [:]
        for entry in reader.table {
            guard let text = try reader.string(entry.key) else { continue }
            guard let key = decodeBase64(text), key.count == 32 else {
                throw reader.invalid(entry.key, "must be the base64 of 32 random bytes (e.g. `openssl rand -base64 32`)")
            }
            keys[entry.key] = key
        }
        return keys
    }
}
