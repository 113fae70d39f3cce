/// Base64 with the standard alphabet (RFC 4648 §4), as HTTP Basic credentials and SDES keys use: the
/// URL-alphabet codec (`Base64URL`) with '+' and '/' in place of '-' and '_'.
public enum StandardBase64 {
    /// Decodes `text`, or nil. As strict as `Base64URL.decode`, and the URL-alphabet characters
    /// '-' and '_' are refused; padding may be left off.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var translated: [UInt8] = []
        translated.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: "_"): return nil
            case UInt8(ascii: "+"): translated.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): translated.append(UInt8(ascii: "_"))
            default: translated.append(byte)
            }
        }
        return Base64URL.decode(String(decoding: translated, as: UTF8.self))
    }

    /// `bytes` in standard base64 with padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        var text = String(Base64URL.encode(bytes).map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        while text.count % 4 != 0 { text += "=" }
        return text
    }
}
