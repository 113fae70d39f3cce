/// Splitting an `Authorization` header value (RFC 9110 §11.6.2) into scheme and credentials.
enum AuthorizationHeader {
    /// "Scheme credentials" → (scheme, credentials), with surrounding spaces and tabs dropped;
    /// nil when either is missing.
    static func split(_ value: String) -> (scheme: Substring, credentials: Substring)? {
        let trimmed = trim(value[...])
        guard let gap = trimmed.firstIndex(where: isSpace) else { return nil }
        let scheme = trimmed[..<gap]
        let credentials = trim(trimmed[gap...])
        guard !scheme.isEmpty, !credentials.isEmpty else { return nil }
        return (scheme, credentials)
    }

    /// ASCII lower case: scheme names (and domain names) are case-insensitive in ASCII only.
    static func lowercased(_ text: some StringProtocol) -> String {
        String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// `text` cut to at most `limit` characters for an error message.
    static func shown(_ text: some StringProtocol, limit: Int = 24) -> String {
        text.count > limit ? String(text.prefix(limit)) + "…" : String(text)
    }

    private static func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" }

    private static func trim(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, isSpace(first) { text = text.dropFirst() }
        while let last = text.last, isSpace(last) { text = text.dropLast() }
        return text
    }
}
